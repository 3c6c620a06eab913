/**
 * Replies on WhatsApp, Instagram and Messenger: the reply-window rule, the durable send job, templates.
 */
import {
  CSAT_RATING_LABELS, CSAT_RATINGS, csatReplyPayload,
  type Agent, type Conversation, type CsatLanguage, type CsatQuestionContent, type Message, type MessageLink, type MessageTemplate, type templateSendRequestSchema,
} from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { enqueueJob, PermanentFailure, RetryLater, type JobQueue } from '../jobs/queue.js';
import { nowIso } from '../ids.js';
import { conversationChanged, recordMessage, requireConversation } from '../services/changes.js';
import { requireVisibleConversation } from '../services/visibility.js';
import { afterMessage, newMessage } from '../services/entities.js';
import { agentClientScope, REPLY_WINDOW_MS, type ClientScope, type Job, type Store, type StoreScope } from '../store/index.js';
import { EmailSendError, type EmailChannel } from './email/index.js';
import { GraphError, type GraphClient } from './graph.js';
import { closeWindowIfMetaSaysSo, messageChanged } from './inbound.js';
import { instagramSettings, messengerSettings, whatsappSettings } from './settings.js';

export const SEND_JOB = 'channel.send';
export const READ_JOB = 'whatsapp.read';
const CHANNELS_WITH_WINDOW = new Set(['whatsapp', 'instagram', 'messenger']);
/** Instagram's and Messenger's standard window; past it (up to 7 days) replies carry the HUMAN_AGENT tag. */
const STANDARD_WINDOW_MS = 24 * 3600_000;

/** Refuses a free-text reply outside the customer-service window (templates are the way then). */
export function assertReplyWindow(conversation: Conversation, now = Date.now()): void {
  if (!CHANNELS_WITH_WINDOW.has(conversation.channel)) return;
  const end = conversation.windowExpiresAt ? Date.parse(conversation.windowExpiresAt) : 0;
  if (end > now) return;
  throw new CharlaFailure(
    'window_closed',
    conversation.channel === 'whatsapp'
      ? 'More than 24 hours since the customer last wrote: only an approved template can be sent'
      : `More than 7 days since the customer last wrote: ${conversation.channel === 'instagram' ? 'Instagram' : 'Messenger'} accepts no reply until they write again`,
    { windowExpiresAt: conversation.windowExpiresAt ?? null },
  );
}

/** Channels whose replies are delivered by the send job. */
const CHANNELS_SENT = new Set([...CHANNELS_WITH_WINDOW, 'email']);

/** Queues the delivery of a public agent message on its conversation's channel. */
export async function queueChannelSend(scope: StoreScope, conversation: Conversation, message: Message): Promise<void> {
  if (message.private || !CHANNELS_SENT.has(conversation.channel)) return;
  await enqueueJob(scope, {
    kind: SEND_JOB,
    workspaceId: conversation.workspaceId,
    payload: { workspaceId: conversation.workspaceId, messageId: message.id },
  });
}

/**
 * Once an agent opened a WhatsApp conversation with unread messages, the customer sees them read
 * (blue ticks): the read receipt names their latest message and is sent as a durable job.
 */
export async function queueReadReceipt(scope: StoreScope, conversation: Conversation): Promise<void> {
  if (conversation.channel !== 'whatsapp') return;
  await enqueueJob(scope, {
    kind: READ_JOB,
    workspaceId: conversation.workspaceId,
    payload: { workspaceId: conversation.workspaceId, conversationId: conversation.id },
    maxAttempts: 3,
  });
}

/** The job that sends read receipts; a receipt Meta refuses for good is dropped (nothing depends on it). */
export function registerReadJob(queue: JobQueue, store: Store, graph: GraphClient): void {
  queue.register(READ_JOB, {
    maxAttempts: 3,
    async handle(job: Job) {
      const { workspaceId, conversationId } = job.payload as { workspaceId: string; conversationId: string };
      const settings = await whatsappSettings(store, workspaceId);
      if (!settings?.phoneNumberId || !settings.accessToken) return;
      const messageId = await store.channels.latestInboundChannelId(workspaceId, conversationId);
      if (!messageId) return;
      try {
        await graph.post(`${settings.phoneNumberId}/messages`, settings.accessToken, { messaging_product: 'whatsapp', status: 'read', message_id: messageId });
      } catch (error) {
        if (error instanceof GraphError && error.transient) throw new RetryLater(error.describe());
        if (error instanceof GraphError) throw new PermanentFailure(error.describe());
        throw error;
      }
    },
  });
}

interface SendPayload {
  workspaceId: string;
  messageId: string;
}

interface TemplateContent {
  name: string;
  language: string;
  parameters: string[];
}

/** The job that delivers a message through the Graph API or SMTP, and what happens when it gives up. */
export function registerSendJob(queue: JobQueue, store: Store, graph: GraphClient, email: EmailChannel): void {
  const markFailed = (payload: SendPayload, error: string) =>
    store.transaction(async (scope) => {
      const message = await scope.channels.message(payload.workspaceId, payload.messageId);
      if (!message || message.status !== 'pending') return;
      await scope.channels.setDelivery(payload.workspaceId, message.id, { status: 'failed', error });
      const conversation = await requireConversation(scope, payload.workspaceId, message.conversationId);
      messageChanged(scope, conversation, { ...message, status: 'failed', error });
      await closeWindowIfMetaSaysSo(scope, conversation, error);
    });

  const noteRetry = (payload: SendPayload, error: string) =>
    store.transaction(async (scope) => {
      const message = await scope.channels.message(payload.workspaceId, payload.messageId);
      if (!message || message.status !== 'pending' || message.error === error) return;
      await scope.channels.setDelivery(payload.workspaceId, message.id, { status: 'pending', error });
      const conversation = await requireConversation(scope, payload.workspaceId, message.conversationId);
      messageChanged(scope, conversation, { ...message, error });
    });

  queue.register(SEND_JOB, {
    maxAttempts: 8,
    async handle(job: Job) {
      const payload = job.payload as SendPayload;
      const message = await store.channels.message(payload.workspaceId, payload.messageId);
      if (!message || message.status !== 'pending') return;
      const conversation = await requireConversation(store, payload.workspaceId, message.conversationId);
      const contact = await store.contacts.get(payload.workspaceId, conversation.contactId);
      const recipient = contact?.identities.find((identity) => identity.channel === conversation.channel);
      if (!recipient) throw new PermanentFailure(`The contact has no ${conversation.channel} identity to send to`);

      let channelMessageId: string;
      try {
        channelMessageId =
          conversation.channel === 'whatsapp'
            ? await sendWhatsapp(store, graph, payload.workspaceId, recipient.handle, message)
            : conversation.channel === 'email'
              ? await email.send(conversation, recipient.handle, message)
              : await sendToPage(store, graph, payload.workspaceId, recipient.handle, message, conversation);
      } catch (error) {
        if (!(error instanceof GraphError || error instanceof EmailSendError)) throw error;
        if (!error.transient) throw new PermanentFailure(error.describe());
        // Still pending, and the agent sees why it has not gone yet.
        await noteRetry(payload, `Retrying: ${error.describe()}`);
        throw new RetryLater(error.describe());
      }
      await store.transaction(async (scope) => {
        const current = await scope.channels.message(payload.workspaceId, message.id);
        if (!current || current.status !== 'pending') return;
        await scope.channels.setDelivery(payload.workspaceId, message.id, { status: 'sent', error: null, channelMessageId });
        messageChanged(scope, conversation, { ...current, status: 'sent', error: null, channelMessageId });
      });
    },
    async onGiveUp(job, error) {
      await markFailed(job.payload as SendPayload, error.message);
    },
  });
}

async function sendWhatsapp(store: Store, graph: GraphClient, workspaceId: string, to: string, message: Message): Promise<string> {
  const settings = await whatsappSettings(store, workspaceId);
  if (!settings?.phoneNumberId || !settings.accessToken) throw new PermanentFailure('WhatsApp is not configured for this workspace');
  const template = message.content?.template as TemplateContent | undefined;
  const survey = message.content?.csat as CsatQuestionContent | undefined;
  const link = message.content?.link as MessageLink | undefined;
  const body = survey
    ? { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'interactive', interactive: whatsappSurveyList(survey, message.body) }
    : link
    ? { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'interactive', interactive: whatsappLinkButton(link, message.body) }
    : template
    ? {
        messaging_product: 'whatsapp',
        to,
        type: 'template',
        template: {
          name: template.name,
          language: { code: template.language },
          components:
            template.parameters.length > 0
              ? [{ type: 'body', parameters: template.parameters.map((text) => ({ type: 'text', text })) }]
              : [],
        },
      }
    : { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { body: message.body } };
  const answer = await graph.post<{ messages?: Array<{ id?: string }> }>(`${settings.phoneNumberId}/messages`, settings.accessToken, body);
  const id = answer.messages?.[0]?.id;
  if (!id) throw new PermanentFailure('The Graph API accepted the message without giving its id');
  return id;
}

/** The language a survey was asked in: the one whose question the message's text is. */
function surveyLanguage(survey: CsatQuestionContent, body: string): CsatLanguage {
  return (Object.keys(survey.questions) as CsatLanguage[]).find((language) => survey.questions[language] === body) ?? 'es';
}

/** WhatsApp's interactive list: the question, a button opening five rows, each row's id naming the survey and rating. */
function whatsappSurveyList(survey: CsatQuestionContent, question: string): Record<string, unknown> {
  const labels = CSAT_RATING_LABELS[surveyLanguage(survey, question)];
  return {
    type: 'list',
    body: { text: question },
    action: {
      button: '⭐ 1–5',
      sections: [{
        title: '1–5',
        rows: [...CSAT_RATINGS].reverse().map((rating) => ({ id: csatReplyPayload(survey.surveyId, rating), title: '⭐'.repeat(rating), description: labels[rating - 1] })),
      }],
    },
  };
}

/**
 * WhatsApp's call-to-action message: the text, and a button (its label at most 20 characters)
 * opening the link. The text is the message's body, the URL left out (the button carries it).
 */
function whatsappLinkButton(link: MessageLink, body: string): Record<string, unknown> {
  const text = body.replace(link.url, '').trim() || link.title;
  const label = link.title.length <= 20 ? link.title : `${link.title.slice(0, 19)}…`;
  return { type: 'cta_url', body: { text: text.slice(0, 1024) }, action: { name: 'cta_url', parameters: { display_text: label, url: link.url } } };
}

/** Instagram's and Messenger's card: the title, the text under it, and a button opening the link. */
function pageLinkCard(link: MessageLink, body: string): Record<string, unknown> {
  const subtitle = body.replace(link.url, '').trim();
  return {
    attachment: {
      type: 'template',
      payload: {
        template_type: 'generic',
        elements: [{
          title: link.title.slice(0, 80),
          ...(subtitle && subtitle !== link.title ? { subtitle: subtitle.slice(0, 80) } : {}),
          default_action: { type: 'web_url', url: link.url },
          buttons: [{ type: 'web_url', url: link.url, title: link.title.slice(0, 20) }],
        }],
      },
    },
  };
}

/** Instagram's quick replies: one per rating, its payload naming the survey and rating. */
function instagramSurveyReplies(survey: CsatQuestionContent, question: string): Array<Record<string, unknown>> {
  const labels = CSAT_RATING_LABELS[surveyLanguage(survey, question)];
  return [...CSAT_RATINGS].reverse().map((rating) => ({ content_type: 'text', title: `${rating} ${labels[rating - 1]}`.slice(0, 20), payload: csatReplyPayload(survey.surveyId, rating) }));
}

/** Instagram and Messenger share the Send API: `POST /{account or page id}/messages`. */
async function sendToPage(
  store: Store,
  graph: GraphClient,
  workspaceId: string,
  to: string,
  message: Message,
  conversation: Conversation,
): Promise<string> {
  const [accountId, accessToken] =
    conversation.channel === 'instagram'
      ? await instagramSettings(store, workspaceId).then((s) => [s?.accountId, s?.accessToken])
      : await messengerSettings(store, workspaceId).then((s) => [s?.pageId, s?.accessToken]);
  if (!accountId || !accessToken) throw new PermanentFailure(`${conversation.channel === 'instagram' ? 'Instagram' : 'Messenger'} is not configured for this workspace`);
  const windowEnd = conversation.windowExpiresAt ? Date.parse(conversation.windowExpiresAt) : 0;
  // Past the standard 24 hours, a human agent answers under the HUMAN_AGENT tag (7 days).
  const lastInbound = windowEnd - REPLY_WINDOW_MS[conversation.channel]!;
  const tagged = Date.now() - lastInbound > STANDARD_WINDOW_MS;
  const survey = message.content?.csat as CsatQuestionContent | undefined;
  const link = message.content?.link as MessageLink | undefined;
  const text = message.body.slice(0, conversation.channel === 'instagram' ? 1000 : 2000);
  const body = {
    recipient: { id: to },
    message: survey ? { text, quick_replies: instagramSurveyReplies(survey, message.body) } : link ? pageLinkCard(link, message.body) : { text },
    ...(tagged ? { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } : { messaging_type: 'RESPONSE' }),
  };
  const answer = await graph.post<{ message_id?: string }>(`${accountId}/messages`, accessToken, body);
  if (!answer.message_id) throw new PermanentFailure('The Graph API accepted the message without giving its id');
  return answer.message_id;
}

// ---------------------------------------------------------------- templates

interface GraphTemplate {
  name?: unknown;
  language?: unknown;
  status?: unknown;
  category?: unknown;
  components?: unknown;
}

/** Fetches the WhatsApp Business Account's templates (every page) and stores them. */
export async function syncTemplates(store: Store, graph: GraphClient, workspaceId: string): Promise<MessageTemplate[]> {
  const settings = await whatsappSettings(store, workspaceId);
  if (!settings?.wabaId || !settings.accessToken) {
    throw new CharlaFailure('invalid_payload', 'Set the WhatsApp Business Account id and access token first');
  }
  const templates: MessageTemplate[] = [];
  let after: string | null = null;
  for (let page = 0; page < 20; page += 1) {
    let answer: { data?: GraphTemplate[]; paging?: { cursors?: { after?: string }; next?: string } };
    try {
      answer = await graph.get(`${settings.wabaId}/message_templates?limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`, settings.accessToken);
    } catch (error) {
      if (error instanceof GraphError) throw new CharlaFailure(error.transient ? 'offline' : 'invalid_payload', `The Graph API refused: ${error.describe()}`);
      throw error;
    }
    for (const t of answer.data ?? []) {
      if (typeof t.name !== 'string' || typeof t.language !== 'string') continue;
      templates.push({
        name: t.name,
        language: t.language,
        status: typeof t.status === 'string' ? t.status : 'UNKNOWN',
        category: typeof t.category === 'string' ? t.category : null,
        components: Array.isArray(t.components) ? (t.components as Array<Record<string, unknown>>) : [],
      });
    }
    after = answer.paging?.next ? (answer.paging.cursors?.after ?? null) : null;
    if (!after) break;
  }
  await store.transaction((scope) => scope.channels.replaceTemplates(workspaceId, templates, nowIso()));
  return templates;
}

/** The template's body text with `{{1}}`, `{{2}}`… filled in (what the thread shows). */
export function renderTemplate(template: MessageTemplate, parameters: readonly string[]): string {
  const body = template.components.find((c) => String(c.type).toUpperCase() === 'BODY');
  const text = typeof body?.text === 'string' ? body.text : template.name;
  return text.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => parameters[Number(n) - 1] ?? whole);
}

/** How many parameters the template's body takes (`{{1}}`, `{{2}}`…). */
export const templateParameterCount = (template: MessageTemplate) => new Set(renderTemplate(template, []).match(/\{\{\d+\}\}/g) ?? []).size;

/** An approved template sent by an agent: allowed outside the 24-hour window. */
export function sendTemplate(
  store: Store,
  agent: Agent,
  request: z.output<typeof templateSendRequestSchema>,
): Promise<{ message: Message; created: boolean }> {
  return store.transaction((scope) => sendTemplateIn(scope, agent, request));
}

/** `sendTemplate` inside an open transaction. */
export async function sendTemplateIn(
  scope: StoreScope,
  agent: Agent,
  request: z.output<typeof templateSendRequestSchema>,
): Promise<{ message: Message; created: boolean }> {
  const conversation = await requireVisibleConversation(scope, agent, request.conversationId);
  if (conversation.channel !== 'whatsapp') throw new CharlaFailure('invalid_payload', 'Templates are sent on WhatsApp conversations only');
  const clientScope = agentClientScope(agent.id);
  const existing = await scope.messages.byClientId(agent.workspaceId, clientScope, request.clientId);
  if (existing) {
    if (existing.conversationId !== conversation.id) throw new CharlaFailure('conflict', 'clientId: This client id was already used for another message');
    return { message: existing, created: false };
  }
  const template = (await scope.channels.templates(agent.workspaceId)).find(
    (t) => t.name === request.name && t.language === request.language,
  );
  if (!template) throw new CharlaFailure('not_found', `No synced template "${request.name}" in ${request.language}`);
  if (template.status !== 'APPROVED') throw new CharlaFailure('invalid_payload', `The template "${request.name}" is ${template.status}, not approved`);
  const placeholders = templateParameterCount(template);
  if (request.parameters.length !== placeholders) {
    throw new CharlaFailure('invalid_payload', `parameters: The template takes ${placeholders} parameter(s)`);
  }
  const message = newMessage({
    workspaceId: agent.workspaceId,
    conversationId: conversation.id,
    direction: 'out',
    senderKind: 'agent',
    senderId: agent.id,
    senderName: agent.name,
    body: renderTemplate(template, request.parameters),
    clientId: request.clientId,
    status: 'pending',
    content: { template: { name: template.name, language: template.language, parameters: request.parameters } },
  });
  await recordReply(scope, conversation, message, clientScope);
  return { message, created: true };
}

/** Records an agent's public reply: the conversation moves on (last message, window) and the channel send is queued. */
export async function recordReply(scope: StoreScope, conversation: Conversation, message: Message, clientScope: ClientScope): Promise<void> {
  await recordMessage(scope, conversation, message, clientScope);
  const next = afterMessage(conversation, message);
  await scope.conversations.save(next);
  await conversationChanged(scope, next);
  await queueChannelSend(scope, next, message);
}
