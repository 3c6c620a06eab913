import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { CharlaClient } from '@charla/client';
import type { Agent, Task, TaskCreateRequest } from '@charla/protocol';
import { CharlaElement } from '../base/charla-element.js';
import { LocalizeController } from '../i18n/localize-controller.js';
import { deepActiveElement } from './deal-editor.js';
import { dialogStyles } from './dialog.styles.js';
import { editorString, type EditorString } from './editors.strings.js';

/** What a new task is opened from: it is linked to these records unless the user unticks them. */
export interface TaskLinks {
  conversationId?: string | null;
  contactId?: string | null;
  /** Shown beside the contact link. */
  contactName?: string | null;
  dealId?: string | null;
  /** Shown beside the deal link. */
  dealTitle?: string | null;
}

export interface TaskCreatedDetail {
  task: Task;
}

/** The server's limit on titles (DEAL_LIMITS.title in @charla/protocol). */
const TITLE_MAX = 200;
/** A due date without a time is due at the start of the working day. */
const DEFAULT_TIME = '09:00';

type Field = 'title' | 'dueDate' | 'dueTime';
type Link = 'conversationId' | 'contactId' | 'dealId';

/**
 * The dialog that creates a task: title, due date and time, owner (the signed-in agent by
 * default) and the records it was opened from (conversation, contact, deal), each of which can be
 * unticked. Hosts (the thread, the contact panel, the agenda) render one and call
 * `create(links, opener)`. With a client the task is created through it (`task.create`) and shows
 * on the agendas at once; without one it is handed to the host in `charla-task-created`. Invalid
 * input is explained beside its field and nothing is sent; a refusal from the server is shown in
 * the dialog with everything typed kept. Escape or Cancel closes it; focus goes back to the opener.
 *
 * @tag charla-task-editor
 * @event charla-task-created - The task was created. `detail: {task}`.
 * @csspart dialog - The dialog.
 */
export class CharlaTaskEditor extends CharlaElement {
  static override styles = [CharlaElement.styles, dialogStyles];

  /** Creates through this client; without one the host keeps `charla-task-created` itself. */
  @property({ attribute: false }) client?: CharlaClient;
  /** Owners to choose from (the client's agents when unset). */
  @property({ attribute: false }) agents: Agent[] = [];
  /** The signed-in agent's id (the client's when unset): the default owner. */
  @property({ attribute: false }) meId: string | null = null;

  @state() private links: TaskLinks | null = null;
  @state() private kept: Record<Link, boolean> = { conversationId: true, contactId: true, dealId: true };
  @state() private draft = { title: '', dueDate: '', dueTime: '', ownerId: '' };
  @state() private errors: Partial<Record<Field, string>> = {};
  @state() private failure: string | null = null;
  @state() private saving = false;

  @query('dialog') private dialog!: HTMLDialogElement;

  readonly #i18n = new LocalizeController(this);
  #opener: HTMLElement | null = null;

  #t(key: EditorString, values?: Record<string, string | number>): string {
    return editorString(this.#i18n.lang, key, values);
  }

  get #me(): string | null {
    return this.meId ?? this.client?.me?.id ?? null;
  }

  /** Whether the dialog is showing. */
  get isOpen(): boolean {
    return this.dialog?.open ?? false;
  }

  /** Opens the dialog for a new task linked to `links`; focus returns to `opener` (default: what had focus). */
  async create(links: TaskLinks = {}, opener?: HTMLElement | null): Promise<void> {
    this.#opener = opener ?? deepActiveElement();
    this.links = links;
    this.kept = { conversationId: true, contactId: true, dealId: true };
    this.draft = { title: '', dueDate: '', dueTime: '', ownerId: this.#me ?? '' };
    this.errors = {};
    this.failure = null;
    this.saving = false;
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.renderRoot.querySelector<HTMLInputElement>('#task-title')?.focus();
  }

  /** Closes without creating anything. */
  close(): void {
    if (this.dialog?.open) this.dialog.close();
  }

  #onClose = (): void => {
    this.links = null;
    const opener = this.#opener;
    this.#opener = null;
    if (opener?.isConnected) opener.focus();
  };

  #agents(): Agent[] {
    const agents = this.agents.length > 0 ? this.agents : (this.client?.session?.agents ?? []);
    return agents.filter((agent) => agent.role !== 'viewer');
  }

  /** The request the draft makes, or null with `errors` set. */
  #request(links: TaskLinks): TaskCreateRequest | null {
    const { title: rawTitle, dueDate, dueTime, ownerId } = this.draft;
    const errors: Partial<Record<Field, string>> = {};
    const title = rawTitle.trim();
    if (!title) errors.title = this.#t('titleRequired');
    else if (title.length > TITLE_MAX) errors.title = this.#t('titleTooLong', { max: TITLE_MAX });
    let dueAt: string | null = null;
    if (dueDate) {
      const due = new Date(`${dueDate}T${dueTime || DEFAULT_TIME}`);
      if (Number.isNaN(due.getTime())) errors.dueDate = this.#t('dateInvalid');
      else dueAt = due.toISOString();
    } else if (dueTime) {
      errors.dueDate = this.#t('timeWithoutDate');
    }
    this.errors = errors;
    if (Object.keys(errors).length > 0) return null;
    const request: TaskCreateRequest = { title, dueAt, ownerId: ownerId || null };
    for (const link of ['conversationId', 'contactId', 'dealId'] as const) {
      if (links[link] && this.kept[link]) request[link] = links[link];
    }
    return request;
  }

  #submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const links = this.links;
    if (!links || this.saving) return;
    this.failure = null;
    const request = this.#request(links);
    if (!request) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    this.saving = true;
    try {
      const task = this.client ? await this.client.sales.createTask(request) : localTask(request);
      this.saving = false;
      this.close();
      this.emit('charla-task-created', { detail: { task } });
    } catch (error) {
      this.saving = false;
      this.failure = this.#t('saveFailed', { reason: error instanceof Error ? error.message : String(error) });
    }
  };

  #set(field: keyof CharlaTaskEditor['draft']) {
    return (event: Event) => {
      this.draft = { ...this.draft, [field]: (event.target as HTMLInputElement | HTMLSelectElement).value };
      if (field in this.errors) this.errors = { ...this.errors, [field]: undefined, ...(field === 'dueTime' ? { dueDate: undefined } : {}) };
    };
  }

  #error(field: Field) {
    const error = this.errors[field];
    return error ? html`<p class="error" id="task-${field}-error">${error}</p>` : nothing;
  }

  #linkBox(link: Link, label: string) {
    return html`<label class="check"><input type="checkbox" .checked=${this.kept[link]}
      @change=${(event: Event) => (this.kept = { ...this.kept, [link]: (event.target as HTMLInputElement).checked })} />${label}</label>`;
  }

  override render() {
    const links = this.links;
    const draft = this.draft;
    const me = this.#me;
    const invalid = (field: Field) => (this.errors[field] ? 'true' : 'false');
    const describedBy = (field: Field) => (this.errors[field] ? `task-${field}-error` : nothing);
    const hasLinks = links && (links.conversationId || links.contactId || links.dealId);
    return html`<dialog part="dialog" aria-labelledby="task-editor-title" @close=${this.#onClose}>
      ${links
        ? html`<form novalidate @submit=${this.#submit}>
            <h2 id="task-editor-title">${this.#t('newTask')}</h2>
            <div class="field">
              <label for="task-title">${this.#t('title')}</label>
              <input id="task-title" name="title" required autocomplete="off" .value=${draft.title} @input=${this.#set('title')}
                aria-invalid=${invalid('title')} aria-describedby=${describedBy('title')} />
              ${this.#error('title')}
            </div>
            <div class="row">
              <div class="field">
                <label for="task-due-date">${this.#t('dueDate')}</label>
                <input id="task-due-date" name="dueDate" type="date" .value=${draft.dueDate} @input=${this.#set('dueDate')}
                  aria-invalid=${invalid('dueDate')} aria-describedby=${describedBy('dueDate')} />
                ${this.#error('dueDate')}
              </div>
              <div class="field">
                <label for="task-due-time">${this.#t('dueTime')}</label>
                <input id="task-due-time" name="dueTime" type="time" .value=${draft.dueTime} @input=${this.#set('dueTime')} />
              </div>
            </div>
            <div class="field">
              <label for="task-owner">${this.#t('owner')}</label>
              <select id="task-owner" name="ownerId" @change=${this.#set('ownerId')}>
                <option value="" ?selected=${!draft.ownerId}>${this.#t('unassigned')}</option>
                ${this.#agents().map((agent) => html`<option value=${agent.id} ?selected=${agent.id === draft.ownerId}>${
                  agent.id === me ? this.#t('me', { name: agent.name }) : agent.name}</option>`)}
              </select>
            </div>
            ${hasLinks
              ? html`<fieldset>
                  <legend>${this.#t('linkedTo')}</legend>
                  ${links.conversationId ? this.#linkBox('conversationId', this.#t('linkConversation')) : nothing}
                  ${links.contactId ? this.#linkBox('contactId', this.#t('linkContact', { name: links.contactName ?? '—' })) : nothing}
                  ${links.dealId ? this.#linkBox('dealId', this.#t('linkDeal', { title: links.dealTitle ?? '—' })) : nothing}
                </fieldset>`
              : nothing}
            ${Object.values(this.errors).some(Boolean) ? html`<p class="error" role="alert">${this.#t('fixErrors')}</p>` : nothing}
            ${this.failure ? html`<p class="alert" role="alert">${this.failure}</p>` : nothing}
            <div class="buttons">
              <button type="button" @click=${() => this.close()}>${this.#t('cancel')}</button>
              <button type="submit" ?disabled=${this.saving}>${this.saving ? this.#t('creating') : this.#t('create')}</button>
            </div>
          </form>`
        : nothing}
    </dialog>`;
  }
}

let localTasks = 0;
/** Data mode: the task as the host will keep it. */
function localTask(request: TaskCreateRequest): Task {
  const now = new Date().toISOString();
  localTasks += 1;
  return {
    id: `local:task_${localTasks}`, workspaceId: '', title: request.title, dueAt: request.dueAt ?? null, ownerId: request.ownerId ?? null,
    done: false, doneAt: null, contactId: request.contactId ?? null, companyId: request.companyId ?? null, dealId: request.dealId ?? null,
    conversationId: request.conversationId ?? null, rule: null, createdAt: now, updatedAt: now,
  };
}

declare global {
  interface GlobalEventHandlersEventMap {
    'charla-task-created': CustomEvent<TaskCreatedDetail>;
  }
}
