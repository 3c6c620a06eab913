import { html, css, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { provide } from '@lit/context';
import { CharlaClient, type TokenProvider } from '@charla/client';
import { CharlaElement } from '../base/charla-element.js';
import { clientContext } from '../context/client-context.js';
import { LocalizeController } from '../i18n/localize-controller.js';
import type { Notification } from '@charla/protocol';

export interface NotificationDetail {
  notification: Notification;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'charla-notification': CustomEvent<NotificationDetail>;
  }
}

/**
 * Connects the Charla elements inside it to a server: it owns one `CharlaClient` (from `url` and
 * `token` and/or `tokenProvider`) or provides the one you set as `.client`, and shows the connection state.
 *
 * @tag charla-provider
 * @event charla-notification - The signed-in agent was mentioned or given a conversation (live). `detail.notification`.
 * @slot - The Charla elements (and any of your own markup).
 * @csspart status - The connection notice shown while offline or signed out.
 * @cssproperty --charla-provider-status-bottom - Distance of the notice from the bottom edge.
 */
export class CharlaProvider extends CharlaElement {
  static override styles = [
    CharlaElement.styles,
    css`
      :host {
        display: contents;
      }
      [part='status'] {
        position: fixed;
        left: 50%;
        bottom: var(--charla-provider-status-bottom, 16px);
        transform: translateX(-50%);
        z-index: 10;
        max-width: min(560px, calc(100vw - 32px));
        padding: var(--charla-space-s, 8px) var(--charla-space-l, 16px);
        border-radius: var(--charla-radius-m, 8px);
        background: var(--charla-color-text, #1c2430);
        color: var(--charla-color-surface, #fff);
        box-shadow: var(--charla-shadow-m, 0 4px 16px rgb(16 24 40 / 12%));
        font-size: var(--charla-font-size-s, 12px);
      }
      [part='status'][data-state='unauthorized'] {
        background: var(--charla-color-danger, #c62828);
        color: #fff;
      }
    `,
  ];

  /** Server origin; defaults to the page's origin. */
  @property() url = '';
  /**
   * The agent's bearer token. A property only: it is never written to the DOM. Given as the
   * `token` attribute (plain HTML), it is read once, moved here and the attribute removed, so it
   * does not stay in the page's markup.
   */
  @property({ attribute: false }) token = '';

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'token'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (name !== 'token') return super.attributeChangedCallback(name, old, value);
    if (value === null) return;
    this.token = value;
    this.removeAttribute('token');
  }

  /**
   * Gets a new agent token from your backend (`() => Promise<string>`): used for the first token
   * when `token` is not set, and to refresh a signed token before it expires. A property only.
   */
  @property({ attribute: false }) tokenProvider?: TokenProvider;

  /** The client provided to descendants: set it to share a client you created yourself. */
  @provide({ context: clientContext })
  @property({ attribute: false })
  client?: CharlaClient;

  readonly #i18n = new LocalizeController(this);
  #owned?: CharlaClient;
  #unsubscribe?: () => void;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.#owned && this.#owned.state === 'closed') this.#owned.connect();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#owned?.close();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    const credentials = changed.has('url') || changed.has('token') || changed.has('tokenProvider');
    if (credentials && (this.token || this.tokenProvider) && (!this.client || this.client === this.#owned)) {
      this.#owned?.close();
      this.#owned = new CharlaClient({
        url: this.url || location.origin,
        ...(this.token ? { token: this.token } : {}),
        ...(this.tokenProvider ? { tokenProvider: this.tokenProvider } : {}),
      });
      this.client = this.#owned;
    }
    if (changed.has('client')) {
      this.#unsubscribe?.();
      const client = this.client;
      const stopChanges = client?.subscribe(() => this.requestUpdate());
      const stopNotifications = client?.onNotification((notification) =>
        this.emit('charla-notification', { detail: { notification } }),
      );
      this.#unsubscribe = () => {
        stopChanges?.();
        stopNotifications?.();
      };
    }
  }

  protected override render() {
    const state = this.client?.state;
    const message =
      state === 'reconnecting'
        ? this.#i18n.t('connection.reconnecting')
        : state === 'unauthorized'
          ? this.#i18n.t('connection.unauthorized')
          : null;
    return html`<slot></slot>${message
        ? html`<div part="status" role="status" data-state=${state}>${message}</div>`
        : nothing}`;
  }
}
