import { css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Contact, Task } from '@charla/protocol';
import { ClientElement } from '../controllers/client-element.js';
import { editorString } from '../shared/editors.strings.js';
import { taskEditorIn } from '../shared/editors.js';
import type { TaskCreatedDetail } from '../shared/task-editor.js';
import { agendaString, type AgendaString } from './agenda.strings.js';

import { AGENDA_SECTIONS, type AgendaSection } from '../view-names.js';

export { AGENDA_SECTIONS, type AgendaSection };

export interface TaskOpenDetail {
  taskId: string;
  conversationId: string | null;
  contactId: string | null;
  dealId: string | null;
}
export interface TaskDoneDetail {
  taskId: string;
}

const DAY = 86_400_000;

/** Which section an open task belongs to at `now` (the end of today is local midnight). */
export function sectionOf(task: Task, now: number): AgendaSection {
  if (!task.dueAt) return 'upcoming';
  const due = Date.parse(task.dueAt);
  if (due < now) return 'overdue';
  const midnight = new Date(now);
  midnight.setHours(24, 0, 0, 0);
  return due < midnight.getTime() ? 'today' : 'upcoming';
}

const formats = new Map<string, Intl.DateTimeFormat>();
function dueLabel(lang: string, iso: string, now: number): string {
  const sameDay = Math.abs(Date.parse(iso) - now) < DAY && new Date(iso).getDate() === new Date(now).getDate();
  const key = `${lang}:${sameDay}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(lang, sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' });
    formats.set(key, format);
  }
  return format.format(new Date(iso));
}

/**
 * "My agenda": open tasks in three sections — overdue, today, upcoming — each with its contact and
 * due time. One click (or Enter) on a task opens its conversation (`charla-task-open`); the
 * checkbox marks it done. With a client it shows the signed-in agent's tasks (`owner="all"` for
 * everyone's) and stays live; without one it renders `.tasks` and `.contacts`.
 *
 * @tag charla-agenda
 * @event charla-task-open - The user opened a task. `detail: {taskId, conversationId, contactId, dealId}`.
 * @event charla-task-done - Data mode: the user checked a task. `detail: {taskId}`.
 * @event charla-task-created - The user created a task ("New task"; owned by them unless they chose another). `detail: {task}`.
 * @csspart title - The heading.
 * @csspart new-task - The "New task" button.
 * @csspart section - One of overdue, today, upcoming.
 * @csspart task - A task.
 * @cssproperty --charla-agenda-overdue-color - Accent of overdue tasks.
 */
export class CharlaAgenda extends ClientElement {
  static override styles = [
    ClientElement.styles,
    css`
      :host {
        display: block;
        background: var(--charla-color-surface, #fff);
      }
      .head {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 8px;
        padding: var(--charla-space-m, 12px) var(--charla-space-m, 12px) 0;
      }
      h2 {
        margin: 0;
        font-size: var(--charla-font-size-l, 16px);
      }
      .head button {
        all: revert;
        min-height: 32px;
        padding: 4px 12px;
        border: 1px solid var(--charla-color-border, #d9dee5);
        border-radius: var(--charla-radius-m, 8px);
        background: var(--charla-color-surface, #fff);
        color: var(--charla-color-text, #1c2430);
        font: inherit;
        font-size: var(--charla-font-size-s, 12px);
        cursor: pointer;
      }
      section {
        padding: var(--charla-space-s, 8px) 0;
      }
      h3 {
        display: flex;
        justify-content: space-between;
        margin: 0;
        padding: 4px var(--charla-space-m, 12px);
        font-size: var(--charla-font-size-s, 12px);
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--charla-color-text-muted, #5b6777);
      }
      section.overdue h3 {
        color: var(--charla-agenda-overdue-color, var(--charla-color-danger, #c62828));
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: grid;
        grid-template-columns: auto 1fr;
        align-items: start;
        gap: 8px;
        padding: 6px var(--charla-space-m, 12px);
      }
      li:hover {
        background: var(--charla-color-surface-raised, #f6f8fa);
      }
      .check {
        display: flex;
        align-items: flex-start;
        cursor: pointer;
      }
      .check input {
        margin: 3px 0 0;
      }
      button {
        all: unset;
        display: grid;
        gap: 1px;
        min-width: 0;
        cursor: pointer;
      }
      button:focus-visible {
        outline: 2px solid var(--charla-color-focus, #1f6feb);
        outline-offset: 2px;
        border-radius: 4px;
      }
      .title {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .meta {
        font-size: var(--charla-font-size-s, 12px);
        color: var(--charla-color-text-muted, #5b6777);
      }
      section.overdue .due {
        color: var(--charla-agenda-overdue-color, var(--charla-color-danger, #c62828));
        font-weight: 600;
      }
      .empty {
        margin: 0;
        padding: 4px var(--charla-space-m, 12px);
        font-size: var(--charla-font-size-s, 12px);
        color: var(--charla-color-text-muted, #5b6777);
      }
      /* Touch screens: the task, its check box (with the area around it) and the buttons at least 44 px. */
      @media (pointer: coarse) {
        li {
          align-items: center;
          padding-block: 0;
        }
        .check {
          min-width: 44px;
          min-height: 44px;
          margin-left: -12px;
          justify-content: center;
        }
        .check input {
          margin: 0;
          width: 20px;
          height: 20px;
        }
        li button,
        .head button {
          min-height: 44px;
          align-content: center;
        }
      }
    `,
  ];

  /** Open tasks (data mode). */
  @property({ attribute: false }) tasks: Task[] = [];
  /** Contacts named on tasks (data mode). */
  @property({ attribute: false }) contacts: Array<Pick<Contact, 'id' | 'name'>> = [];
  /** With a client: `me` (default) or `all`. */
  @property() owner: 'me' | 'all' = 'me';
  /** The time sections are computed at; the current time when unset. */
  @property({ attribute: false }) now: number | null = null;

  #t(key: AgendaString, values?: Record<string, string | number>): string {
    return agendaString(this.i18n.lang, key, values);
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    // The client's agenda lists load on first use: start them before rendering.
    const client = this.activeClient;
    for (const view of AGENDA_SECTIONS) client?.sales.agenda(view, this.owner === 'me' ? 'me' : undefined);
  }

  #tasks(): Task[] {
    const client = this.activeClient;
    if (!client) return this.tasks.filter((task) => !task.done);
    const ownerId = this.owner === 'me' ? 'me' : undefined;
    const ids = new Set(AGENDA_SECTIONS.flatMap((view) => client.sales.agenda(view, ownerId).ids));
    return [...ids].flatMap((id) => {
      const task = client.sales.tasksById.get(id);
      return task && !task.done ? [task] : [];
    });
  }

  #contactName(id: string | null): string | null {
    if (!id) return null;
    const client = this.activeClient;
    return client ? (client.contact(id)?.name ?? null) : (this.contacts.find((contact) => contact.id === id)?.name ?? null);
  }

  #open(task: Task): void {
    this.emit('charla-task-open', { detail: { taskId: task.id, conversationId: task.conversationId, contactId: task.contactId, dealId: task.dealId } });
  }

  async #done(task: Task): Promise<void> {
    const client = this.activeClient;
    if (client) {
      await client.sales.updateTask({ taskId: task.id, done: true }).catch(() => this.requestUpdate());
      return;
    }
    this.tasks = this.tasks.map((candidate) => (candidate.id === task.id ? { ...candidate, done: true } : candidate));
    this.emit('charla-task-done', { detail: { taskId: task.id } });
  }

  /** Data mode lists the new task; a client's agenda refreshes itself. */
  #onTaskCreated(event: CustomEvent<TaskCreatedDetail>): void {
    if (!this.activeClient) this.tasks = [...this.tasks, event.detail.task];
  }

  override render() {
    const now = this.now ?? Date.now();
    const lang = this.i18n.lang;
    const bySection = new Map<AgendaSection, Task[]>(AGENDA_SECTIONS.map((section) => [section, []]));
    for (const task of this.#tasks()) bySection.get(sectionOf(task, now))!.push(task);
    for (const tasks of bySection.values()) {
      tasks.sort((a, b) => (a.dueAt ?? '\uffff').localeCompare(b.dueAt ?? '\uffff') || a.id.localeCompare(b.id));
    }
    return html`<div role="region" aria-labelledby="agenda-title">
      <div class="head">
        <h2 id="agenda-title" part="title">${this.#t('agenda')}</h2>
        ${this.activeClient?.me?.role === 'viewer'
          ? nothing
          : html`<button part="new-task" type="button" data-action="new-task" @click=${(event: MouseEvent) => {
              const opener = event.currentTarget as HTMLElement;
              void taskEditorIn(this.renderRoot).then((editor) => editor?.create({}, opener));
            }}>
              ${editorString(this.i18n.lang, 'newTask')}</button>`}
      </div>
      ${AGENDA_SECTIONS.map((section) => {
        const tasks = bySection.get(section)!;
        const headingId = `agenda-${section}`;
        return html`<section part="section" class=${section} aria-labelledby=${headingId}>
          <h3 id=${headingId}><span>${this.#t(section)}</span><span class="count"> ${tasks.length}</span></h3>
          ${tasks.length === 0
            ? html`<p class="empty">${this.#t('none')}</p>`
            : html`<ul>
                ${repeat(tasks, (task) => task.id, (task) => {
                  const contact = this.#contactName(task.contactId);
                  return html`<li part="task">
                    <label class="check"
                      ><input type="checkbox" aria-label=${this.#t('done', { title: task.title })} @change=${() => void this.#done(task)}
                    /></label>
                    <button @click=${() => this.#open(task)} aria-describedby="${headingId}">
                      <span class="title">${task.title}</span>
                      <span class="meta"
                        ><span class="due">${task.dueAt ? dueLabel(lang, task.dueAt, now) : this.#t('noDate')}</span
                        >${contact ? html` · ${contact}` : nothing}${task.rule ? html` · ${this.#t('byRule')}` : nothing}</span
                      >
                    </button>
                  </li>`;
                })}
              </ul>`}
        </section>`;
      })}
    </div>
    <charla-task-editor .client=${this.activeClient} @charla-task-created=${this.#onTaskCreated}></charla-task-editor>`;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'charla-task-open': CustomEvent<TaskOpenDetail>;
    'charla-task-done': CustomEvent<TaskDoneDetail>;
  }
}
