import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { live } from 'lit/directives/live.js';
import type { CharlaClient } from '@charla/client';
import type { FollowUpDraft } from '@charla/protocol';
import type { LocalizeController } from '../i18n/localize-controller.js';
import { composerStrings } from './composer.strings.js';
import { useStrings } from '../i18n/strings.js';

useStrings(composerStrings);

export interface FollowUpDecisionDetail {
  followUp: FollowUpDraft;
  /** The text the owner sends (their edit), for an approval in free text. */
  body?: string;
}

/**
 * The re-engagement message the AI drafted for a silent deal, shown above the composer until the
 * owner sends it in one click ("Send follow-up": their edit as free text while the window is open,
 * else the approved template it names) or dismisses it. Nothing is sent from anywhere else. When
 * the AI could not draft it, the reason shows where the text would be and the owner writes it.
 */
export class FollowUpController implements ReactiveController {
  busy = false;
  error: string | null = null;
  /** The owner's edit of each draft, by id. */
  #edits = new Map<string, string>();
  #for: string | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Fires `charla-follow-up-approve` / `charla-follow-up-dismiss` (cancelable); false when the host canceled it. */
    private readonly announce: (decision: 'approve' | 'dismiss', detail: FollowUpDecisionDetail) => boolean,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  forConversation(conversationId: string | null): void {
    if (conversationId === this.#for) return;
    this.#for = conversationId;
    this.busy = false;
    this.error = null;
    this.#edits.clear();
  }

  async #decide(client: CharlaClient | undefined, decision: 'approve' | 'dismiss', followUp: FollowUpDraft, templated: boolean): Promise<void> {
    const edit = this.#edits.get(followUp.id)?.trim();
    const body = !templated && edit && edit !== followUp.body ? edit : undefined;
    if (!this.announce(decision, { followUp, ...(body ? { body } : {}) }) || !client) return;
    this.busy = true;
    this.error = null;
    this.host.requestUpdate();
    try {
      if (decision === 'approve') await client.ai.approveFollowUp(followUp.id, body);
      else await client.ai.dismissFollowUp(followUp.id);
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  /** `windowClosed`: WhatsApp's 24-hour window is closed, so the draft's template goes instead of its text. */
  render(i18n: LocalizeController, client: CharlaClient | undefined, drafts: readonly FollowUpDraft[], windowClosed: boolean) {
    const followUp = drafts[0];
    if (!followUp) return nothing;
    const templated = windowClosed && followUp.template !== null;
    // No text from the AI (its provider failed): the owner writes it, so there is nothing to send until they do.
    const unwritten = !templated && !(this.#edits.get(followUp.id) ?? followUp.body).trim();
    return html`<section class="follow-up" part="follow-up" aria-labelledby="follow-up-title">
      <h3 id="follow-up-title" class="follow-up-title"><span aria-hidden="true">✦</span> ${i18n.t('composer.followUp')}</h3>
      ${followUp.error && !templated ? html`<p class="hint error" role="status">${i18n.t('composer.followUpNoDraft', { reason: followUp.error })}</p>` : nothing}
      ${templated
        ? html`<p class="follow-up-text">${followUp.template!.text}</p>
            <p class="hint">${i18n.t('composer.followUpTemplate', { name: followUp.template!.name })}</p>`
        : html`<textarea class="follow-up-text" rows="3" aria-label=${i18n.t('composer.followUpLabel')} .value=${live(this.#edits.get(followUp.id) ?? followUp.body)}
            @input=${(event: Event) => {
              this.#edits.set(followUp.id, (event.target as HTMLTextAreaElement).value);
              this.host.requestUpdate();
            }}></textarea>`}
      ${windowClosed && !templated ? html`<p class="hint error">${i18n.t('composer.followUpNoTemplate')}</p>` : nothing}
      ${this.error ? html`<p class="hint error" role="alert">${i18n.t('composer.followUpFailed', { reason: this.error })}</p>` : nothing}
      <div class="follow-up-actions">
        <button class="small" ?disabled=${this.busy} @click=${() => this.#decide(client, 'dismiss', followUp, templated)}>${i18n.t('composer.followUpDismiss')}</button>
        <button class="primary follow-up-send" ?disabled=${this.busy || (windowClosed && !templated) || unwritten}
          @click=${() => this.#decide(client, 'approve', followUp, templated)}>${i18n.t('composer.followUpSend')}</button>
      </div>
    </section>`;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'charla-follow-up-approve': CustomEvent<FollowUpDecisionDetail>;
    'charla-follow-up-dismiss': CustomEvent<FollowUpDecisionDetail>;
  }
}

export const followUpStyles = css`
  .follow-up {
    display: grid;
    gap: 6px;
    padding: var(--charla-space-s, 8px);
    border: 1px dashed var(--charla-color-primary, #1f6feb);
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-primary-soft, #e7f0ff);
  }
  .follow-up-title {
    margin: 0;
    font-size: 0.9em;
  }
  .follow-up p.follow-up-text {
    margin: 0;
    white-space: pre-wrap;
  }
  .follow-up textarea {
    font: inherit;
    width: 100%;
    box-sizing: border-box;
  }
  .follow-up-actions {
    display: flex;
    justify-content: flex-end;
    gap: var(--charla-space-s, 8px);
  }
`;
