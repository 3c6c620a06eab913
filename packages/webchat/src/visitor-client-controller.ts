import type { ReactiveController, ReactiveElement } from 'lit';
import { VisitorClient } from '@charla/client';
import type { VisitorIdentity } from '@charla/protocol';

/**
 * Keeps its host rendering what a `VisitorClient` holds. The client is either given (tests,
 * hosts that share one) or created here for a widget key and server, and then also closed here
 * when the host leaves the page.
 */
export class VisitorClientController implements ReactiveController {
  readonly #host: ReactiveElement;
  #client: VisitorClient | undefined;
  #owned = false;
  /** Server and widget key of the owned client, to recreate it only when they change. */
  #key = '';
  #unsubscribe: (() => void) | undefined;
  #profile: VisitorIdentity | undefined;

  constructor(host: ReactiveElement) {
    this.#host = host;
    host.addController(this);
  }

  get client(): VisitorClient | undefined {
    return this.#client;
  }

  /** Uses `client` when given, else one owned by this controller for `workspace` on `server`. */
  use(client: VisitorClient | undefined, workspace: string, server: string): void {
    if (client && client === this.#client) return;
    if (!client && this.#owned && this.#key === `${server}|${workspace}`) return;
    this.#release();
    this.#owned = !client && Boolean(workspace);
    this.#client = client ?? (workspace ? new VisitorClient({ url: server, workspace, autoConnect: false }) : undefined);
    this.#key = `${server}|${workspace}`;
    if (this.#host.isConnected) this.hostConnected();
  }

  /** Sends who the visitor is once the connection is up (now, or after a reconnect). */
  identify(profile: VisitorIdentity): void {
    this.#profile = { ...this.#profile, ...profile };
    this.#flushProfile();
  }

  hostConnected(): void {
    const client = this.#client;
    if (!client || this.#unsubscribe) return;
    this.#unsubscribe = client.subscribe(() => {
      this.#flushProfile();
      this.#host.requestUpdate();
    });
    if (this.#owned) client.connect();
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.#owned) this.#client?.close();
  }

  #release(): void {
    this.hostDisconnected();
    this.#client = undefined;
    this.#owned = false;
  }

  #flushProfile(): void {
    const profile = this.#profile;
    if (!profile || this.#client?.state !== 'online') return;
    this.#profile = undefined;
    // A refused identity (a wrong hash, a malformed email) is the host page's mistake; report, do not retry.
    this.#client.identify(profile).catch((error: unknown) => console.warn('Charla: identify failed', error));
  }
}
