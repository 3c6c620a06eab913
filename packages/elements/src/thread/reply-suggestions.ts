import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { CharlaClient } from '@charla/client';
import type { ReplySource, ReplySourceKind } from '@charla/protocol';
import type { LocalizeController } from '../i18n/localize-controller.js';
import { composerStrings } from './composer.strings.js';
import { useStrings } from '../i18n/strings.js';

useStrings(composerStrings);

export interface ReplySuggestDetail {
  conversationId: string;
}

/**
 * The composer's "Suggest replies": asks the server for 1–3 replies grounded in the conversation,
 * the contact's profile, the open deal, the canned responses and the knowledge base, each shown
 * with what it used; picking one puts it in the composer for the agent to edit and send.
 * Nothing is ever sent from here.
 */
export class ReplySuggestionsController implements ReactiveController {
  items: string[] = [];
  /** What each item used (`sources[i]` for `items[i]`). */
  sources: ReplySource[][] = [];
  loading = false;
  error: string | null = null;
  #for: string | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Fires `charla-reply-suggest` (cancelable); false when the host canceled it. */
    private readonly announce: (detail: ReplySuggestDetail) => boolean,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** The suggestions belong to one conversation: switching clears them (call it while the host updates). */
  forConversation(conversationId: string | null): void {
    if (conversationId === this.#for) return;
    this.#for = conversationId;
    this.items = [];
    this.sources = [];
    this.error = null;
    this.loading = false;
  }

  clear(): void {
    this.items = [];
    this.sources = [];
    this.error = null;
    this.loading = false;
    this.host.requestUpdate();
  }

  /** Data mode: suggestions set by the host (call it while the host updates). */
  show(items: readonly string[], sources: readonly ReplySource[][] = []): void {
    this.items = items.slice(0, 3);
    this.sources = sources.slice(0, 3);
  }

  async request(client: CharlaClient | undefined, conversationId: string): Promise<void> {
    if (!this.announce({ conversationId }) || !client) return;
    this.loading = true;
    this.error = null;
    this.host.requestUpdate();
    try {
      const answer = await client.ai.replySuggestions(conversationId, 3);
      if (this.#for === conversationId) this.show(answer.suggestions, answer.sources);
    } catch (error) {
      if (this.#for === conversationId) this.error = (error as Error).message;
    } finally {
      this.loading = false;
      this.host.requestUpdate();
    }
  }

  renderButton(i18n: LocalizeController, onClick: () => void) {
    return html`<button class="suggest-replies" ?disabled=${this.loading} aria-busy=${this.loading ? 'true' : 'false'} @click=${onClick}>
      <span aria-hidden="true">✦</span> ${this.loading ? i18n.t('composer.suggesting') : i18n.t('composer.suggest')}
    </button>`;
  }

  renderList(i18n: LocalizeController, onPick: (text: string) => void) {
    if (this.error) return html`<p class="hint error" role="alert">${i18n.t('composer.suggestFailed', { reason: this.error })}</p>`;
    if (this.items.length === 0) return nothing;
    return html`<div class="reply-suggestions" part="reply-suggestions" role="group" aria-label=${i18n.t('composer.suggestions')}>
      ${this.items.map((text, index) => {
        const sources = this.sources[index] ?? [];
        const list = sources.map((source) => `${i18n.t(SOURCE_KEYS[source.kind])} «${source.title}»`).join(' · ');
        return html`<div class="reply-option">
          <button class="reply-suggestion" aria-label=${i18n.t('composer.useSuggestion', { text })} aria-describedby=${sources.length > 0 ? `reply-sources-${index}` : nothing}
            @click=${() => onPick(text)}>${text}</button>
          ${sources.length > 0 ? html`<p class="reply-sources" part="reply-sources" id=${`reply-sources-${index}`}>${i18n.t('composer.sources', { list })}</p>` : nothing}
        </div>`;
      })}
    </div>`;
  }
}

const SOURCE_KEYS: Record<ReplySourceKind, 'composer.sourceKnowledge' | 'composer.sourceCanned' | 'composer.sourceProfile' | 'composer.sourceDeal'> = {
  knowledge: 'composer.sourceKnowledge',
  canned: 'composer.sourceCanned',
  profile: 'composer.sourceProfile',
  deal: 'composer.sourceDeal',
};

declare global {
  interface GlobalEventHandlersEventMap {
    'charla-reply-suggest': CustomEvent<ReplySuggestDetail>;
  }
}

export const replySuggestionStyles = css`
  .modes .suggest-replies {
    margin-left: auto;
  }
  .modes .suggest-replies,
  .modes .draft-quote {
    color: var(--charla-color-primary, #1f6feb);
    border-color: currentColor;
  }
  .modes .suggest-replies:disabled,
  .modes .draft-quote:disabled {
    opacity: 0.6;
    cursor: default;
  }
  .reply-suggestions {
    display: grid;
    gap: 6px;
  }
  .reply-option {
    display: grid;
    gap: 2px;
  }
  .reply-sources {
    margin: 0;
    font-size: 0.8em;
    color: var(--charla-color-text-muted, #5b6777);
  }
  .reply-suggestion {
    padding: 6px 10px;
    border: 1px dashed var(--charla-color-primary, #1f6feb);
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-primary-soft, #e7f0ff);
    color: var(--charla-color-text, #1c2430);
    font: inherit;
    text-align: left;
    cursor: pointer;
  }
`;
