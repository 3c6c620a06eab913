import { css, html, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ClientElement } from '../controllers/client-element.js';
import { settingsString, type SettingsString } from './settings.strings.js';

import { SETTINGS_SECTIONS, type SettingsSectionName } from '../view-names.js';

export { SETTINGS_SECTIONS, type SettingsSectionName };

const TITLES: Record<SettingsSectionName, SettingsString> = {
  team: 'team', routing: 'routing', hours: 'hours', channels: 'channels', widget: 'widget', canned: 'canned', pipelines: 'pipelines', ai: 'ai', csat: 'csat', privacy: 'privacy', activity: 'activity',
};

export interface SettingsSectionChangeDetail {
  section: SettingsSectionName;
}

/**
 * The admin's settings in one element: a list of sections and the chosen one. Wide, the list sits
 * beside the section; narrow (a phone), the list comes first and a section opens over it with a
 * way back. Each section is also its own element (`<charla-settings-team>`…) for hosts that want
 * only one. Needs a client (`.client` or `<charla-provider>`) signed in as an admin.
 *
 * @tag charla-settings
 * @event charla-settings-section-change - The user opened a section. `detail: {section}`.
 * @csspart nav - The list of sections.
 * @csspart panel - The open section.
 * @cssproperty --charla-settings-nav-width - Width of the list of sections when wide (default 220px).
 */
export class CharlaSettings extends ClientElement {
  static override styles = [
    ClientElement.styles,
    css`
      :host {
        display: block;
        container-type: inline-size;
      }
      .layout {
        display: grid;
        grid-template-columns: var(--charla-settings-nav-width, 220px) minmax(0, 1fr);
        gap: var(--charla-space-l, 20px);
        align-items: start;
      }
      nav ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 2px;
      }
      nav button {
        width: 100%;
        min-height: 40px;
        padding: 8px 12px;
        border: 0;
        border-radius: var(--charla-radius-m, 8px);
        background: transparent;
        color: var(--charla-color-text, #1c2430);
        font: inherit;
        text-align: start;
        cursor: pointer;
      }
      nav button:hover {
        background: var(--charla-color-surface-sunken, #eef1f5);
      }
      nav button[aria-current='page'] {
        background: var(--charla-color-surface-sunken, #eef1f5);
        box-shadow: inset 3px 0 0 var(--charla-color-primary, #1f6feb);
        font-weight: 600;
      }
      nav button:focus-visible,
      .back:focus-visible {
        outline: 2px solid var(--charla-color-focus, #1f6feb);
        outline-offset: 1px;
      }
      .back {
        display: none;
        margin: 0 0 var(--charla-space-m, 12px);
        padding: 6px 0;
        border: 0;
        background: none;
        color: var(--charla-color-primary, #1f6feb);
        font: inherit;
        cursor: pointer;
      }
      .title {
        margin: 0 0 var(--charla-space-m, 12px);
        font-size: var(--charla-font-size-l, 18px);
      }
      @container (max-width: 640px) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
        }
        .layout[data-view='list'] .panel,
        .layout[data-view='section'] nav {
          display: none;
        }
        nav button {
          min-height: 48px;
          border-bottom: 1px solid var(--charla-color-border, #d9dee5);
          border-radius: 0;
        }
        nav button::after {
          content: '›';
          float: inline-end;
          color: var(--charla-color-text-muted, #5b6777);
        }
        .back {
          display: inline-flex;
        }
      }
    `,
  ];

  /** The open section. */
  @property({ reflect: true }) section: SettingsSectionName = 'team';
  /** Narrow layouts only: whether the open section is shown instead of the list. */
  @state() private showingSection = false;

  #t(key: SettingsString): string {
    return settingsString(this.i18n.lang, key);
  }

  #open(section: SettingsSectionName): void {
    this.section = section;
    this.showingSection = true;
    this.emit('charla-settings-section-change', { detail: { section } });
    void this.updateComplete.then(() => {
      // Narrow: the list is hidden now, so focus moves to the way back.
      const back = this.renderRoot.querySelector<HTMLElement>('.back');
      if (back && back.offsetParent !== null) back.focus();
    });
  }

  /**
   * The open section's first field; on a phone while the list is shown, the open section's entry
   * in the list.
   */
  protected override focusTarget(): HTMLElement | null {
    const panel = this.renderRoot.querySelector<HTMLElement>('.panel');
    const section = panel?.querySelector<HTMLElement>(`charla-settings-${this.section}`);
    if (section && panel!.getClientRects().length > 0) return section;
    return this.renderRoot.querySelector<HTMLElement>(`nav [data-section='${this.section}']`);
  }

  #back(): void {
    this.showingSection = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`nav [data-section='${this.section}']`)?.focus());
  }

  /** Up and Down (Home, End) move between the sections of the list. */
  #onNavKey(event: KeyboardEvent): void {
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('nav button')];
    const index = buttons.indexOf(event.target as HTMLButtonElement);
    if (index < 0) return;
    const next = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    buttons[(next + buttons.length) % buttons.length]?.focus();
  }

  #panel(): TemplateResult {
    const client = this.client;
    switch (this.section) {
      case 'routing': return html`<charla-settings-routing .client=${client}></charla-settings-routing>`;
      case 'hours': return html`<charla-settings-hours .client=${client}></charla-settings-hours>`;
      case 'channels': return html`<charla-settings-channels .client=${client}></charla-settings-channels>`;
      case 'widget': return html`<charla-settings-widget .client=${client}></charla-settings-widget>`;
      case 'canned': return html`<charla-settings-canned .client=${client}></charla-settings-canned>`;
      case 'pipelines': return html`<charla-settings-pipelines .client=${client}></charla-settings-pipelines>`;
      case 'ai': return html`<charla-settings-ai .client=${client}></charla-settings-ai>`;
      case 'csat': return html`<charla-settings-csat .client=${client}></charla-settings-csat>`;
      case 'privacy': return html`<charla-settings-privacy .client=${client}></charla-settings-privacy>`;
      case 'activity': return html`<charla-settings-activity .client=${client}></charla-settings-activity>`;
      default: return html`<charla-settings-team .client=${client}></charla-settings-team>`;
    }
  }

  override render() {
    return html`<div class="layout" data-view=${this.showingSection ? 'section' : 'list'}>
      <nav part="nav" aria-label=${this.#t('sections')}>
        <h2 class="title">${this.#t('title')}</h2>
        <ul @keydown=${(event: KeyboardEvent) => this.#onNavKey(event)}>
          ${SETTINGS_SECTIONS.map((section) => html`<li>
            <button type="button" data-section=${section} aria-current=${section === this.section ? 'page' : 'false'} @click=${() => this.#open(section)}>
              ${this.#t(TITLES[section])}
            </button>
          </li>`)}
        </ul>
      </nav>
      <div class="panel" part="panel">
        <button type="button" class="back" @click=${() => this.#back()}>‹ ${this.#t('back')}</button>
        ${this.#panel()}
      </div>
    </div>`;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'charla-settings-section-change': CustomEvent<SettingsSectionChangeDetail>;
  }
}
