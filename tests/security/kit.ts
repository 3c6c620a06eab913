/**
 * Security test kit: a real Charla server (channels wired to the fake Graph API) with objects of
 * every kind in workspace Acme, and the routes and socket events the running server registers,
 * read from express's router and from the sockets themselves, so nothing new slips past the
 * authorization table unnoticed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Express } from 'express';
import type { Socket as ServerSocket } from 'socket.io';
import { startChannelTest, waMessages, postWebhook, until, type ChannelTest } from '../support/channels.js';
import { api, connectAgent, connectVisitor, request, visitorWrites, type TestServer } from '../server/helpers.js';
import { connectInbox, postMail } from '../support/mail.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/** Ids of Acme's objects that the requests of the authorization table act on. */
export interface AcmeObjects {
  contactId: string;
  /** A contact with a business email, so a company. */
  companyContactId: string;
  companyId: string;
  /** The webchat conversation of `contactId` and one of its messages. */
  conversationId: string;
  messageId: string;
  /** A WhatsApp conversation with a downloaded photo. */
  whatsappConversationId: string;
  mediaMessageId: string;
  /** The email inbox's webhook key, and a mail of its with one stored attachment. */
  inboxKey: string;
  /** The email conversation of Ana's mail (with its PDF). */
  emailConversationId: string;
  attachmentMessageId: string;
  template: { name: string; language: string };
  pipelineId: string;
  dealId: string;
  taskId: string;
  cannedId: string;
  teamId: string;
  /** A saved segment of the contacts directory. */
  segmentId: string;
  broadcastId: string;
  /** The contact who wrote on WhatsApp (a broadcast reaches them). */
  whatsappContactId: string;
  /** An outbound webhook subscription and one of its deliveries (delivered). */
  webhookId: string;
  webhookDeliveryId: string;
  visitorToken: string;
}

export interface SecurityKit {
  channels: ChannelTest;
  test: TestServer;
  url: string;
  acme: AcmeObjects;
  /** Every id of Acme (objects, agents, the workspace): none may appear in an answer to Globex. */
  acmeIds: string[];
  /** A contact only this caller will use (to delete or merge). */
  freshContact(): Promise<string>;
  freshCanned(): Promise<string>;
  /** A new knowledge entry of Acme's (an FAQ about Acme's deliveries). */
  freshKnowledge(): Promise<string>;
  /** A re-engagement draft of Acme's waiting for approval (its own conversation, deal and task). */
  freshFollowUp(): Promise<string>;
  freshSegment(): Promise<string>;
  /** A broadcast scheduled an hour ahead (so it can be canceled) to Acme's WhatsApp customer. */
  freshBroadcast(): Promise<string>;
  /** The body of a valid broadcast (`POST /api/v1/broadcasts` and its preview). */
  broadcastBody(): Record<string, unknown>;
  /** A webhook subscription only this caller will use (to delete). */
  freshWebhook(): Promise<string>;
  /** Where Acme's webhooks are sent (a loopback receiver). */
  webhookReceiver: WebhookReceiver;
  /** Two fresh contacts merged: the survivor and the merge's record (to undo). */
  freshMerge(): Promise<{ contactId: string; mergeId: string }>;
  close(): Promise<void>;
}

/** The platform API's key (the host's backend). */
export const PLATFORM_KEY = 'security-kit-platform-key-0123456789abcdef';

/** Globex's WhatsApp app secret: a delivery signed with it is not Acme's. */
export const GLOBEX_WA = { phoneNumberId: '200000000000001', wabaId: '200000000000002', appSecret: 'globex-app-secret', verifyToken: 'globex-verify', accessToken: 'globex-token' };

async function ok<T = any>(response: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const { status, body } = await response;
  if (status >= 300) throw new Error(`${what} failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

export async function startSecurityKit(): Promise<SecurityKit> {
  // Every route is also called without credentials, and every route and event with each role and
  // each bad payload: more failed sign-ins and more requests per token in a minute than the
  // default budgets allow (limits.test.ts checks those budgets).
  const channels = await startChannelTest({
    server: { platformKey: PLATFORM_KEY, webhooks: { allowPrivate: true }, limits: { authFailuresPer15Minutes: 10_000, apiRequestsPerMinute: 100_000 } },
  });
  const webhookReceiver = await startWebhookReceiver();
  const { test } = channels;
  const { url } = test;
  const admin = test.acme.admin.token;
  const agent = test.acme.agent.token;
  channels.graph.grant(GLOBEX_WA.accessToken, GLOBEX_WA.phoneNumberId);
  await ok(api(url, '/api/v1/channels/whatsapp', { token: test.globex.admin.token, method: 'PUT', body: GLOBEX_WA }), 'Globex WhatsApp');
  // The widget loader is served from the static directory.
  await mkdir(join(test.dir, 'no-static', 'widget'), { recursive: true });
  for (const file of ['widget.js', 'widget-panel.js', 'survey-card-test.js']) await writeFile(join(test.dir, 'no-static', 'widget', file), '/* widget */');

  const importContacts = async (csv: string): Promise<string[]> => {
    const report = await ok(api(url, '/api/v1/contacts/import', { token: admin, method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } }), 'import');
    return (report.rows as Array<{ contactId: string }>).map((row) => row.contactId);
  };

  const adminSocket = await connectAgent(url, admin);
  const written = await visitorWrites(test, test.acme, 'Hello from Acme');
  const messages = await request(adminSocket, 'messages.list', { conversationId: written.conversationId });
  // The pre-chat form asks for a name, so a visitor may answer it.
  await ok(api(url, '/api/v1/workspace/widget', { token: admin, method: 'PATCH', body: { preChat: { name: 'optional', email: 'off', phone: 'off' } } }), 'pre-chat form');
  const [companyContactId] = await importContacts('name,email\nEva Supplies,eva@acme-supplies.test\n');
  const companies = await ok(api(url, '/api/v1/companies', { token: admin }), 'companies');
  const company = (companies.companies as Array<{ id: string; domain: string }>).find((c) => c.domain === 'acme-supplies.test');

  const waId = '5215512349999';
  channels.graph.media.set('security-photo', { mimeType: 'image/jpeg', bytes: Buffer.from('jpeg-bytes') });
  const photo = waMessages(waId, 'Foto', [{ type: 'image', image: { id: 'security-photo', mime_type: 'image/jpeg', sha256: 'abc' } }]);
  if ((await postWebhook(url, 'whatsapp', photo)).status !== 200) throw new Error('The photo webhook was refused');
  const media = await until(async () => {
    const page = await request(adminSocket, 'conversations.list', { status: 'all', channel: 'whatsapp' });
    const conversation = page.conversations[0];
    if (!conversation) return undefined;
    const list = await request(adminSocket, 'messages.list', { conversationId: conversation.id });
    const message = list.messages.find((m: any) => m.content?.media?.url);
    return message ? { conversationId: conversation.id as string, contactId: conversation.contactId as string, messageId: message.id as string } : undefined;
  }, 'the photo downloaded');
  // An email inbox (its SMTP server is never reached here) and a customer's mail with a PDF.
  const inbox = await connectInbox(url, admin, { smtpUrl: 'smtp://127.0.0.1:9' });
  const mail = [
    'From: Ana Cliente <ana@cliente.test>', 'To: support@acme.test', 'Subject: Factura', 'Message-ID: <security-1@cliente.test>',
    'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '',
    '--b1', 'Content-Type: text/plain; charset=utf-8', '', 'Adjunto la factura.',
    '--b1', 'Content-Type: application/pdf; name="factura.pdf"', 'Content-Disposition: attachment; filename="factura.pdf"',
    'Content-Transfer-Encoding: base64', '', Buffer.from('%PDF-1.4 factura').toString('base64'), '--b1--', '',
  ].join('\r\n');
  if ((await postMail(url, inbox.ids.inboxKey, mail)).status !== 200) throw new Error('The email webhook was refused');
  const attachment = await until(async () => {
    const page = await request(adminSocket, 'conversations.list', { status: 'all', channel: 'email' });
    const conversation = page.conversations[0];
    if (!conversation) return undefined;
    const list = await request(adminSocket, 'messages.list', { conversationId: conversation.id });
    const id = list.messages.find((m: any) => m.content?.attachments?.length)?.id as string | undefined;
    return id ? { id, conversationId: conversation.id as string } : undefined;
  }, 'the email attachment stored');
  adminSocket.disconnect();

  const templates = await ok(api(url, '/api/v1/channels/whatsapp/templates/sync', { token: admin, method: 'POST' }), 'templates');
  const template = templates.templates.find((t: { status: string }) => t.status === 'APPROVED');
  const pipeline = await ok(api(url, '/api/v1/pipelines', { token: admin, method: 'POST', body: { name: 'Sales', stages: [{ name: 'New' }, { name: 'Quoted' }] } }), 'pipeline');
  const pipelineId = pipeline.id as string;
  const deal = await ok(api(url, '/api/v1/deals', {
    token: agent, method: 'POST', body: { pipelineId, title: 'Acme order', amount: 100, currency: 'USD', contactId: written.contactId },
  }), 'deal');
  const task = await ok(api(url, '/api/v1/tasks', { token: agent, method: 'POST', body: { title: 'Call Acme back', contactId: written.contactId } }), 'task');
  let cannedCount = 0;
  const freshCanned = async () => {
    cannedCount += 1;
    const canned = await ok(api(url, '/api/v1/canned-responses', {
      token: admin, method: 'POST', body: { shortcut: `acme-${cannedCount}`, title: 'Acme', body: 'Thanks for writing to Acme' },
    }), 'canned');
    return canned.id as string;
  };
  const freshFollowUp = async () => {
    const { conversationId, visitor } = await visitorWrites(test, test.acme, 'Hola, quiero 2 tazas');
    visitor.disconnect();
    const silent = await ok(api(url, '/api/v1/deals', { token: agent, method: 'POST', body: { pipelineId, title: 'Tazas', amount: 0, currency: 'MXN', conversationId } }), 'silent deal');
    const reactivate = await ok(api(url, '/api/v1/tasks', { token: agent, method: 'POST', body: { title: 'Reactivate conversation', dealId: silent.id } }), 'reactivate task');
    const draft = await test.server.ai.draftFollowUp(reactivate, silent);
    if (!draft) throw new Error('No re-engagement draft was written');
    return draft.id;
  };
  const freshKnowledge = async () => {
    const entry = await ok(api(url, '/api/v1/knowledge', {
      token: admin, method: 'POST', body: { kind: 'faq', title: 'Does Acme deliver?', body: 'Acme delivers anywhere in 48 hours.' },
    }), 'knowledge');
    return entry.id as string;
  };
  const team = await ok(api(url, '/api/v1/teams', { token: admin, method: 'POST', body: { name: 'Acme sales', agentIds: [] } }), 'team');
  const freshSegment = async () => {
    const segment = await ok(api(url, '/api/v1/segments', { token: agent, method: 'POST', body: { name: 'Acme VIP', filter: { tags: ['vip'] } } }), 'segment');
    return segment.id as string;
  };

  const broadcastBody = () => ({
    name: 'Acme promo', template: { name: template.name, language: template.language },
    parameters: [{ field: 'name', fallback: 'cliente' }, { text: 'A-1' }], audience: { ids: [media.contactId] },
    scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
  });
  const freshBroadcast = async () => (await ok(api(url, '/api/v1/broadcasts', { token: admin, method: 'POST', body: broadcastBody() }), 'broadcast')).id as string;

  const subscribe = async (events: string[]) =>
    (await ok(api(url, '/api/v1/webhooks', { token: admin, method: 'POST', body: { url: webhookReceiver.url, events } }), 'webhook')).webhook.id as string;
  const webhookId = await subscribe(['task.created']);
  const webhookTask = await ok(api(url, '/api/v1/tasks', { token: agent, method: 'POST', body: { title: 'Send the invoice' } }), 'webhook task');
  const webhookDeliveryId = await until(async () => {
    const { deliveries } = await ok(api(url, `/api/v1/webhooks/${webhookId}/deliveries?state=delivered`, { token: admin }), 'deliveries');
    return (deliveries as Array<{ id: string; payload: { data: { task: { id: string } } } }>).find((d) => d.payload.data.task.id === webhookTask.id)?.id;
  }, 'the webhook delivered');
  const acme: AcmeObjects = {
    contactId: written.contactId,
    companyContactId: companyContactId as string,
    companyId: company?.id ?? '',
    conversationId: written.conversationId,
    messageId: messages.messages[0].id,
    whatsappConversationId: media.conversationId,
    mediaMessageId: media.messageId,
    inboxKey: inbox.ids.inboxKey as string,
    attachmentMessageId: attachment.id,
    emailConversationId: attachment.conversationId,
    template: { name: template.name, language: template.language },
    pipelineId,
    dealId: deal.id,
    taskId: task.id,
    cannedId: await freshCanned(),
    teamId: team.id,
    segmentId: await freshSegment(),
    broadcastId: await freshBroadcast(),
    whatsappContactId: media.contactId,
    webhookId,
    webhookDeliveryId,
    visitorToken: written.token,
  };
  written.visitor.disconnect();
  const acmeIds = [
    ...Object.values(acme).filter((value): value is string => typeof value === 'string' && value !== acme.visitorToken),
    test.acme.workspace.id,
    ...[test.acme.admin, test.acme.agent, test.acme.viewer].map((member) => member.agent.id),
  ];
  let contactCount = 0;
  const fresh = (id: string) => {
    acmeIds.push(id);
    return id;
  };
  const freshContact = async () => {
    contactCount += 1;
    const [id] = await importContacts(`name,email\nAcme Person ${contactCount},person${contactCount}@acme-people.test\n`);
    return fresh(id as string);
  };
  return {
    channels,
    test,
    url,
    acme,
    acmeIds,
    freshContact,
    freshCanned: async () => fresh(await freshCanned()),
    freshKnowledge: async () => fresh(await freshKnowledge()),
    freshFollowUp: async () => fresh(await freshFollowUp()),
    freshSegment: async () => fresh(await freshSegment()),
    freshBroadcast: async () => fresh(await freshBroadcast()),
    broadcastBody,
    freshWebhook: async () => fresh(await subscribe(['csat.submitted'])),
    webhookReceiver,
    async freshMerge() {
      const contactId = await freshContact();
      // Made by Acme's agent: an agent may undo their own merges (others' only an admin).
      const merged = await ok(api(url, `/api/v1/contacts/${contactId}/merge`, { token: agent, method: 'POST', body: { mergeId: await freshContact() } }), 'merge');
      return { contactId, mergeId: fresh(merged.merge.id) };
    },
    async close() {
      await channels.close();
      await webhookReceiver.close();
    },
  };
}

/** `METHOD /path` of every route the app answers (express's router stack, mounted routers included). */
export function registeredRoutes(app: Express): string[] {
  interface Layer {
    route?: { path: string; methods: Record<string, boolean> };
    handle?: { stack?: Layer[] };
    rawPath?: unknown;
  }
  const routes: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) routes.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, prefix + (typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : ''));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...new Set(routes)];
}

/** socket.io's own events, not requests. */
const RESERVED_EVENTS = new Set(['error', 'disconnect', 'disconnecting']);

/**
 * The request events a connection on `namespace` listens to, read from a real connection once
 * every registration ran (listeners added here run after the server's own).
 */
export async function registeredEvents(kit: SecurityKit, namespace: '/agent' | '/visitor'): Promise<string[]> {
  const seen = new Promise<string[]>((resolve) => {
    const listener = (socket: ServerSocket) => {
      kit.test.server.io.of(namespace).off('connection', listener);
      resolve(socket.eventNames().map(String).filter((name) => !RESERVED_EVENTS.has(name)));
    };
    kit.test.server.io.of(namespace).on('connection', listener);
  });
  const client = namespace === '/agent'
    ? await connectAgent(kit.url, kit.test.acme.viewer.token)
    : await connectVisitor(kit.url, kit.test.acme.workspace.widgetKey);
  const names = await seen;
  client.disconnect();
  return names;
}
