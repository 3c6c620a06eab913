import { consume } from '@lit/context';
import { property, state } from 'lit/decorators.js';
import type { CharlaClient } from '@charla/client';
import { CharlaElement } from '../base/charla-element.js';
import { clientContext } from '../context/client-context.js';
import { LocalizeController } from '../i18n/localize-controller.js';

/**
 * Base of the elements that can talk to a server: the client comes from the `.client`
 * property or from an enclosing `<charla-provider>`; without either they render plain data
 * properties (Storybook, static use). Any change in the client's store re-renders them.
 */
export class ClientElement extends CharlaElement {
  /** An explicit client; takes precedence over the one provided by `<charla-provider>`. */
  @property({ attribute: false }) client?: CharlaClient;

  @consume({ context: clientContext, subscribe: true })
  @state()
  protected contextClient?: CharlaClient;

  protected readonly i18n = new LocalizeController(this);
  #subscribed?: CharlaClient;
  #unsubscribe?: () => void;

  /** The client in use, if any. */
  get activeClient(): CharlaClient | undefined {
    return this.client ?? this.contextClient;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#subscribed = undefined;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    const client = this.activeClient;
    if (client !== this.#subscribed) {
      this.#unsubscribe?.();
      this.#subscribed = client;
      this.#unsubscribe = client?.subscribe(() => this.requestUpdate());
      this.clientChanged(client);
    }
  }

  /** Called when the client in use changes (including to none), before rendering. */
  protected clientChanged(_client: CharlaClient | undefined): void {}
}
