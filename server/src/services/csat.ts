/**
 * Satisfaction surveys: when an agent resolves a conversation on the widget, WhatsApp or
 * Instagram, the customer is asked to rate it (1–5, and a comment in the widget). One survey per
 * resolution: while one waits for its answer, resolving again asks nothing more. Conversations
 * resolved automatically (idle past `autoResolveHours`) are not asked: nobody helped them just
 * now. WhatsApp and Instagram only take the question inside their reply window (it is not a human
 * reply), so a conversation past it is not asked either. An answer is stored on the survey, said
 * in the thread, logged (`csat.submitted`, which webhooks receive) and counted by the `csat`
 * metric; a survey unanswered after `expiresHours` expires.
 */
import {
  CSAT_CARD_WORDS, CSAT_CHANNELS, CSAT_DEFAULT_QUESTIONS, CSAT_LANGUAGES, csatSettingsPatchSchema,
  type Agent, type Conversation, type CsatLanguage, type CsatQuestionContent, type CsatSettings, type CsatSurvey,
} from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { newId, nowIso } from '../ids.js';
import { queueChannelSend } from '../channels/outbound.js';
import type { Store, StoreScope } from '../store/index.js';
import type { Visitor } from './actors.js';
import { recordMessage, recordSystemLine, requireConversation } from './changes.js';
import { newMessage } from './entities.js';

type CsatSettingsPatch = z.output<typeof csatSettingsPatchSchema>;

/** The question in every language: the workspace's own where it wrote one, else the default. */
export function questionsOf(settings: CsatSettings): Record<CsatLanguage, string> {
  return Object.fromEntries(CSAT_LANGUAGES.map((language) => [language, settings.questions[language] || CSAT_DEFAULT_QUESTIONS[language]])) as Record<CsatLanguage, string>;
}

export function csatSettings(store: Store, agent: Agent): Promise<CsatSettings> {
  return store.csat.settings(agent.workspaceId);
}

/** An admin changes the survey settings (only what the patch names). */
export function updateCsatSettings(store: Store, agent: Agent, patch: CsatSettingsPatch): Promise<CsatSettings> {
  return store.transaction(async (scope) => {
    const current = await scope.csat.settings(agent.workspaceId);
    const questions = { ...current.questions };
    for (const language of CSAT_LANGUAGES) {
      const text = patch.questions?.[language];
      if (text === undefined) continue;
      if (text === null || text === '') delete questions[language];
      else questions[language] = text;
    }
    const next: CsatSettings = {
      enabled: patch.enabled ?? current.enabled,
      questions,
      channelLanguage: patch.channelLanguage ?? current.channelLanguage,
      expiresHours: patch.expiresHours ?? current.expiresHours,
    };
    await scope.csat.saveSettings(agent.workspaceId, next, nowIso());
    await scope.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'csat.settings', targetKind: 'workspace', targetId: agent.workspaceId,
      data: { enabled: next.enabled },
    });
    return next;
  });
}

/** Whether the channel takes an automatic message now (WhatsApp and Instagram: inside 24 hours of the customer's last message). */
function channelTakesSurvey(conversation: Conversation, now: number): boolean {
  if (!(CSAT_CHANNELS as readonly string[]).includes(conversation.channel)) return false;
  if (conversation.channel === 'webchat') return true;
  if (!conversation.windowExpiresAt) return false;
  // Instagram's stored window is the 7 days of a human agent; an automatic message has the standard 24 hours.
  const standardEnd = Date.parse(conversation.windowExpiresAt) - (conversation.channel === 'instagram' ? 6 * 24 * 3600_000 : 0);
  return standardEnd > now;
}

/**
 * Asks the customer of a conversation an agent just resolved to rate it, inside the caller's
 * transaction; does nothing when the workspace has surveys off, the channel cannot take it now,
 * or a survey of the conversation still waits for its answer.
 */
export async function askForRating(scope: StoreScope, conversation: Conversation): Promise<CsatSurvey | null> {
  const { workspaceId } = conversation;
  const settings = await scope.csat.settings(workspaceId);
  const now = Date.now();
  if (!settings.enabled || !channelTakesSurvey(conversation, now)) return null;
  const earlier = await scope.csat.ofConversation(workspaceId, conversation.id);
  if (earlier.some((survey) => survey.status === 'asked' && Date.parse(survey.expiresAt) > now)) return null;

  const askedAt = new Date(now).toISOString();
  const survey: CsatSurvey = {
    id: newId('csat'),
    conversationId: conversation.id,
    contactId: conversation.contactId,
    channel: conversation.channel,
    agentId: conversation.assigneeId,
    status: 'asked',
    rating: null,
    comment: null,
    askedAt,
    answeredAt: null,
    expiresAt: new Date(now + settings.expiresHours * 3600_000).toISOString(),
  };
  await scope.csat.insert(workspaceId, survey);
  const questions = questionsOf(settings);
  const content: CsatQuestionContent = { surveyId: survey.id, questions, words: CSAT_CARD_WORDS, expiresAt: survey.expiresAt };
  const message = newMessage({
    workspaceId,
    conversationId: conversation.id,
    direction: 'out',
    senderKind: 'bot',
    senderName: null,
    body: questions[settings.channelLanguage],
    status: conversation.channel === 'webchat' ? 'sent' : 'pending',
    content: { csat: content },
    createdAt: askedAt,
  });
  await recordMessage(scope, conversation, message);
  await queueChannelSend(scope, conversation, message);
  return survey;
}

/**
 * Records the answer to a survey of `conversation`, inside the caller's transaction. Refuses a
 * survey of another conversation (404), one already answered (409) and one expired (409).
 */
export async function recordRating(
  scope: StoreScope,
  conversation: Conversation,
  answer: { surveyId: string; rating: number; comment?: string | undefined },
): Promise<CsatSurvey> {
  const { workspaceId } = conversation;
  const survey = await scope.csat.get(workspaceId, answer.surveyId);
  if (!survey || survey.conversationId !== conversation.id) throw new CharlaFailure('not_found', 'surveyId: No survey of this conversation has this id');
  if (survey.status === 'answered') throw new CharlaFailure('conflict', 'This survey was already answered');
  const at = nowIso();
  if (survey.status === 'expired' || survey.expiresAt <= at) throw new CharlaFailure('conflict', 'This survey has expired');
  const comment = answer.comment?.trim() ? answer.comment.trim() : null;
  if (!(await scope.csat.answer(workspaceId, survey.id, answer.rating, comment, at))) throw new CharlaFailure('conflict', 'This survey was already answered');
  const answered: CsatSurvey = { ...survey, status: 'answered', rating: answer.rating, comment, answeredAt: at };
  await recordSystemLine(
    scope,
    conversation,
    comment === null
      ? { key: 'csat_rated', values: { rating: answer.rating } }
      : { key: 'csat_rated_comment', values: { rating: answer.rating, comment } },
    null,
    { csatSurveyId: survey.id },
  );
  scope.events.append(workspaceId, {
    type: 'csat.submitted',
    conversationId: conversation.id,
    contactId: conversation.contactId,
    visibility: 'agents',
    data: { survey: answered },
  });
  return answered;
}

/** Closes the surveys nobody answered in time (the periodic sweep). */
export function expireSurveys(store: Store, now = Date.now()): Promise<number> {
  return store.transaction((scope) => scope.csat.expire(new Date(now).toISOString()));
}

/** An agent reads a conversation's surveys. */
export function conversationSurveys(store: Store, agent: Agent, conversationId: string): Promise<CsatSurvey[]> {
  return store.csat.ofConversation(agent.workspaceId, conversationId);
}

/** The widget's visitor answers a survey of one of their conversations (the card's rating and comment). */
export function submitVisitorRating(
  store: Store,
  visitor: Visitor,
  answer: { surveyId: string; rating: number; comment?: string | undefined },
): Promise<CsatSurvey> {
  return store.transaction(async (scope) => {
    const survey = await scope.csat.get(visitor.workspaceId, answer.surveyId);
    const own = survey && (await scope.widget.visitorConversationIds(visitor.workspaceId, visitor)).includes(survey.conversationId);
    if (!survey || !own) throw new CharlaFailure('not_found', 'surveyId: No survey of your conversations has this id');
    return recordRating(scope, await requireConversation(scope, visitor.workspaceId, survey.conversationId), answer);
  });
}
