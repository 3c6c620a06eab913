import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Agent, AgentPresence, PresenceMap } from '@charla/protocol';
import { ClientElement } from '../controllers/client-element.js';
import { avatar, avatarStyles } from '../shared/avatar.js';
import { presenceString, type PresenceString } from './presence.strings.js';

export interface PresenceChangeDetail {
  status: 'online' | 'away';
}

const ORDER: Record<AgentPresence, number> = { online: 0, away: 1, offline: 2 };

/**
 * The signed-in agent's availability and the team's at a glance. The agent switches between
 * available and away (away: routing assigns them nothing new, in every open tab); below, each
 * teammate shows as available, away or offline, live. With a client (`.client` or
 * `<charla-provider>`) it reads and sets presence over the agent socket; without one it renders
 * `.agents`, `.presence` and `.meId`, and reports the choice with `charla-presence-change`.
 *
 * @tag charla-presence
 * @event charla-presence-change - Data mode: the user chose a status. `detail: {status}`.
 * @csspart status - The signed-in agent's status picker.
 * @csspart team - The list of teammates.
 * @cssproperty --charla-presence-online - Dot of available agents.
 * @cssproperty --charla-presence-away - Dot of away agents.
 * @cssproperty --charla-presence-offline - Dot of offline agents.
 */
export class CharlaPresence extends ClientElement {
  static override styles = [
    ClientElement.styles,
    avatarStyles,
    css`
      :host {
        display: block;
        font-size: var(--charla-font-size-m, 14px);
        color: var(--charla-color-text, #1c2430);
      }
      .mine {
        display: grid;
        gap: 4px;
      }
      label {
        font-size: var(--charla-font-size-s, 12px);
        font-weight: 600;
        color: var(--charla-color-text-muted, #5b6777);
      }
      .picker {
        display: flex;
        align-items: center;
        gap: 8px;
        padding: 4px 8px;
        border: 1px solid var(--charla-color-border, #d9dee5);
        border-radius: var(--charla-radius-m, 8px);
        background: var(--charla-color-surface, #fff);
      }
      .picker:focus-within {
        outline: 2px solid var(--charla-color-focus, #1f6feb);
        outline-offset: 1px;
      }
      select {
        flex: 1;
        min-width: 0;
        border: 0;
        padding: 2px 0;
        background: transparent;
        color: inherit;
        font: inherit;
        outline: none;
      }
      .dot {
        flex: none;
        width: 10px;
        height: 10px;
        border-radius: 50%;
        background: var(--charla-presence-offline, #8c959f);
      }
      .dot[data-status='online'] {
        background: var(--charla-presence-online, var(--charla-color-success, #1a7f37));
      }
      .dot[data-status='away'] {
        background: var(--charla-presence-away, var(--charla-color-warning, #8a5c00));
      }
      .dot[data-status='offline'] {
        background: transparent;
        border: 2px solid var(--charla-presence-offline, #8c959f);
        box-sizing: border-box;
      }
      .hint,
      .error {
        margin: 0;
        font-size: var(--charla-font-size-s, 12px);
        color: var(--charla-color-text-muted, #5b6777);
      }
      .error {
        color: var(--charla-color-danger, #c62828);
      }
      h3 {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 2px 8px;
        margin: var(--charla-space-m, 12px) 0 4px;
        font-size: var(--charla-font-size-s, 12px);
        color: var(--charla-color-text-muted, #5b6777);
      }
      h3 span:first-child {
        text-transform: uppercase;
        letter-spacing: 0.04em;
      }
      h3 span:last-child {
        font-weight: 400;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 2px;
      }
      li {
        display: grid;
        grid-template-columns: auto minmax(0, 1fr);
        align-items: center;
        gap: 8px;
        padding: 3px 0;
      }
      .who {
        display: grid;
        min-width: 0;
      }
      li .avatar {
        width: 28px;
        height: 28px;
        font-size: 11px;
      }
      .dot[data-status] {
        width: 8px;
        height: 8px;
      }
      .picker .dot {
        width: 10px;
        height: 10px;
      }
      .name {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .state {
        display: flex;
        align-items: center;
        gap: 6px;
        font-size: var(--charla-font-size-s, 12px);
        color: var(--charla-color-text-muted, #5b6777);
      }
      li[data-status='offline'] .name {
        color: var(--charla-color-text-muted, #5b6777);
      }
    `,
  ];

  /** Data mode: the workspace's agents. */
  @property({ attribute: false }) agents: Array<Pick<Agent, 'id' | 'name' | 'avatarUrl' | 'role'>> = [];
  /** Data mode: each agent's presence (missing: offline). */
  @property({ attribute: false }) presence: PresenceMap = {};
  /** Data mode: the signed-in agent. */
  @property({ attribute: 'me-id' }) meId: string | null = null;
  /** Hide the team list and show only the signed-in agent's picker. */
  @property({ type: Boolean, attribute: 'hide-team' }) hideTeam = false;

  @state() private failed = false;

  #t(key: PresenceString, values?: Record<string, string | number>): string {
    return presenceString(this.i18n.lang, key, values);
  }

  #agents() {
    const client = this.activeClient;
    return client ? (client.session?.agents ?? []) : this.agents;
  }

  #me(): string | null {
    const client = this.activeClient;
    return client ? (client.me?.id ?? null) : this.meId;
  }

  #statusOf(agentId: string): AgentPresence {
    const client = this.activeClient;
    return client ? client.presenceOf(agentId) : (this.presence[agentId] ?? 'offline');
  }

  async #choose(status: 'online' | 'away'): Promise<void> {
    this.failed = false;
    const client = this.activeClient;
    if (!client) {
      const me = this.meId;
      if (me) this.presence = { ...this.presence, [me]: status };
      this.emit('charla-presence-change', { detail: { status } });
      return;
    }
    try {
      await client.setPresence(status);
    } catch {
      this.failed = true;
    }
  }

  override render() {
    const me = this.#me();
    const mine = me ? this.#statusOf(me) : 'offline';
    const team = this.#agents()
      .filter((agent) => agent.role !== 'viewer' || agent.id === me)
      .map((agent) => ({ agent, status: this.#statusOf(agent.id) }))
      .sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.agent.name.localeCompare(b.agent.name));
    const available = team.filter((member) => member.status === 'online').length;
    return html`
      ${me
        ? html`<div class="mine" part="status">
            <label for="status">${this.#t('myStatus')}</label>
            <div class="picker">
              <span class="dot" data-status=${mine} aria-hidden="true"></span>
              <select
                id="status"
                aria-describedby=${mine === 'away' ? 'hint' : nothing}
                .value=${live(mine === 'away' ? 'away' : 'online')}
                @change=${(event: Event) => void this.#choose((event.target as HTMLSelectElement).value as 'online' | 'away')}
              >
                <option value="online">${this.#t('online')}</option>
                <option value="away">${this.#t('away')}</option>
              </select>
            </div>
            ${mine === 'away' ? html`<p class="hint" id="hint">${this.#t('awayHint')}</p>` : nothing}
            ${this.failed ? html`<p class="error" role="alert">${this.#t('failed')}</p>` : nothing}
          </div>`
        : nothing}
      ${this.hideTeam || team.length === 0
        ? nothing
        : html`<h3 id="team"><span>${this.#t('team')}</span><span>${this.#t('teamSummary', { online: available, total: team.length })}</span></h3>
            <ul part="team" aria-labelledby="team">
              ${repeat(team, ({ agent }) => agent.id, ({ agent, status }) => html`<li data-status=${status}>
                ${avatar(agent.id, agent.name, agent.avatarUrl)}
                <span class="who">
                  <span class="name" title=${agent.name}>${agent.id === me ? this.#t('you', { name: agent.name }) : agent.name}</span>
                  <span class="state"><span class="dot" data-status=${status} aria-hidden="true"></span>${this.#t(status)}</span>
                </span>
              </li>`)}
            </ul>`}
    `;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'charla-presence-change': CustomEvent<PresenceChangeDetail>;
  }
}
