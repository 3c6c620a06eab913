/**
 * Re-engagement follow-ups: when a deal's conversation has been silent for its pipeline's
 * `reactivateAfterDays`, the "Reactivate" task carries a message the AI drafted (see
 * AiService.draftFollowUp). Nothing reaches the customer until the owner approves it: then it
 * goes as free text while the channel's window is open, as the chosen approved template outside
 * WhatsApp's 24-hour window, never to a contact who opted out of marketing; the task is done.
 */
import type {
  Agent, FollowUpDraft, FollowUpTemplate, Message, MessageTemplate, QuoteLanguage, followUpApproveRequestSchema,
} from '@charla/protocol';
import type { z } from 'zod';
import { assertReplyWindow, renderTemplate, sendTemplateIn, templateParameterCount } from '../channels/outbound.js';
import { CharlaFailure } from '../failure.js';
import { nowIso } from '../ids.js';
import { marketingAudience } from '../services/consent.js';
import { sendAgentMessageIn } from '../services/messages.js';
import { requireTask, saveTaskIn } from '../services/tasks.js';
import { requireVisibleConversation } from '../services/visibility.js';
import type { Store, StoreScope } from '../store/index.js';

type ApproveRequest = z.output<typeof followUpApproveRequestSchema>;

/** Template names that say what they are for: picked first. */
const FOLLOW_UP_NAME = /follow|seguim|reactiv|reeng|re_eng|recordatorio|lembrete|retom|check_?in/i;

/**
 * The approved template a follow-up goes out as outside the window: in the conversation's
 * language (es matches es_MX), taking at most one parameter (the customer's first name), a
 * follow-up's name first, then utility before marketing ones. Null when none fits.
 */
export function followUpTemplate(templates: readonly MessageTemplate[], language: QuoteLanguage, firstName: string): FollowUpTemplate | null {
  const candidates = templates
    .filter((template) => template.status === 'APPROVED' && template.language.toLowerCase().split(/[_-]/)[0] === language)
    .map((template) => ({ template, placeholders: templateParameterCount(template) }))
    .filter(({ placeholders }) => placeholders <= 1)
    .sort((a, b) => rank(a.template) - rank(b.template));
  const best = candidates[0];
  if (!best) return null;
  const parameters = best.placeholders === 1 ? [firstName || '👋'] : [];
  return { name: best.template.name, language: best.template.language, parameters, text: renderTemplate(best.template, parameters) };
}

const rank = (template: MessageTemplate) => (FOLLOW_UP_NAME.test(template.name) ? 0 : 2) + (template.category === 'UTILITY' ? 0 : 1);

/** Tells the agents' views a draft was written or decided. */
export async function logFollowUp(scope: StoreScope, workspaceId: string, id: string): Promise<FollowUpDraft> {
  const followUp = await scope.followUps.get(workspaceId, id);
  if (!followUp) throw new CharlaFailure('not_found', 'No such follow-up');
  scope.events.append(workspaceId, {
    type: 'ai.followup.upserted', conversationId: followUp.conversationId, contactId: followUp.contactId, visibility: 'agents', data: { followUp },
  });
  return followUp;
}

export async function pendingFollowUps(store: Store, agent: Agent, conversationId: string): Promise<FollowUpDraft[]> {
  await requireVisibleConversation(store, agent, conversationId);
  return store.followUps.pending(agent.workspaceId, conversationId);
}

async function requirePending(scope: StoreScope, agent: Agent, id: string): Promise<FollowUpDraft> {
  const draft = await scope.followUps.get(agent.workspaceId, id);
  if (!draft) throw new CharlaFailure('not_found', 'No such follow-up');
  await requireVisibleConversation(scope, agent, draft.conversationId);
  if (draft.status !== 'pending') throw new CharlaFailure('conflict', `This follow-up was already ${draft.status}`);
  return draft;
}

/** Marks the draft decided and its "Reactivate" task done (the owner dealt with the silence either way). */
async function decide(scope: StoreScope, agent: Agent, draft: FollowUpDraft, status: 'sent' | 'dismissed', messageId: string | null): Promise<FollowUpDraft> {
  const at = nowIso();
  if (!(await scope.followUps.decide(agent.workspaceId, draft.id, { status, at, by: agent.id, messageId }))) {
    throw new CharlaFailure('conflict', 'This follow-up was decided meanwhile');
  }
  const task = await requireTask(scope, agent.workspaceId, draft.taskId);
  if (!task.done) await saveTaskIn(scope, task, { ...task, done: true, doneAt: at });
  return logFollowUp(scope, agent.workspaceId, draft.id);
}

/**
 * Sends the draft (the owner's edit of it, if any): free text inside the window, the approved
 * template outside WhatsApp's; refused when the contact opted out of marketing since.
 */
export function approveFollowUp(store: Store, agent: Agent, request: ApproveRequest): Promise<{ followUp: FollowUpDraft; message: Message }> {
  return store.transaction(async (scope) => {
    const draft = await requirePending(scope, agent, request.id);
    const conversation = await requireVisibleConversation(scope, agent, draft.conversationId);
    const { recipients } = await marketingAudience(scope, agent.workspaceId, [conversation.contactId]);
    if (recipients.length === 0) throw new CharlaFailure('conflict', 'The contact opted out of marketing messages: the follow-up cannot be sent');
    let inWindow = true;
    try {
      assertReplyWindow(conversation);
    } catch (error) {
      // Outside WhatsApp's window the template goes instead; elsewhere nothing may be sent.
      if (!(error instanceof CharlaFailure) || conversation.channel !== 'whatsapp' || !draft.template) throw error;
      inWindow = false;
    }
    // The AI wrote nothing (its provider failed): only the owner's own text can go.
    if (inWindow && !request.body && !draft.body) {
      throw new CharlaFailure('invalid_payload', `Write the follow-up message: the AI could not draft it (${draft.error ?? 'no text'})`);
    }
    const { message } = inWindow
      ? await sendAgentMessageIn(scope, agent, { conversationId: conversation.id, clientId: request.clientId, body: request.body ?? draft.body, private: false })
      : await sendTemplateIn(scope, agent, {
        conversationId: conversation.id, clientId: request.clientId, name: draft.template!.name, language: draft.template!.language, parameters: draft.template!.parameters,
      });
    const followUp = await decide(scope, agent, draft, 'sent', message.id);
    return { followUp, message };
  });
}

export function dismissFollowUp(store: Store, agent: Agent, id: string): Promise<FollowUpDraft> {
  return store.transaction(async (scope) => decide(scope, agent, await requirePending(scope, agent, id), 'dismissed', null));
}
