/**
 * The authorization table: for every REST route and socket event, who may call it, and a valid
 * request acting on workspace Acme's objects. authorization.test.ts checks the running server
 * against it (and that it lists every route and event the server registers); the README's roles
 * table is rendered from it; fuzz.test.ts mutates its requests.
 */
import type { AgentRole } from '@charla/protocol';
import { signatureOf } from '../../server/src/channels/signature.js';
import { FB, IG, WA, fbMessage, igMessage, waText } from '../support/channels.js';
import { INBOX } from '../support/mail.js';
import { api, clientId, eventually } from '../server/helpers.js';
import { GLOBEX_WA, PLATFORM_KEY, type SecurityKit } from './kit.js';

/**
 * Who may call: an agent of at least this role of the workspace; `public`: anyone; `meta`: Meta,
 * proven by the app secret's signature (the verify token for the handshake); `visitor`: a webchat
 * visitor of the workspace whose widget key the connection names; `inbox`: the mail provider,
 * proven by the email inbox's secret.
 */
export type Access = AgentRole | 'public' | 'meta' | 'inbox' | 'visitor' | 'platform';

export const ROLES: readonly AgentRole[] = ['viewer', 'agent', 'admin'];

/** An inbox of Acme's only this caller will use (to delete). */
async function freshInbox(kit: SecurityKit): Promise<string> {
  const address = `info-${clientId().toLowerCase()}@acme.test`;
  const created = await api(kit.url, '/api/v1/channels/email/inboxes', { token: kit.test.acme.admin.token, method: 'POST', body: { address, smtpUrl: 'smtp://127.0.0.1:9' } });
  if (created.status !== 201) throw new Error(`An inbox could not be made: ${JSON.stringify(created.body)}`);
  kit.acmeIds.push(created.body.id);
  return created.body.id as string;
}

/** Whose credentials a Meta request carries: Acme's, Globex's (not the addressed workspace's), or none. */
export type Signer = 'acme' | 'globex' | null;

export interface RestRequest {
  /** Path and query string. */
  path: string;
  /** Sent as JSON, or verbatim when a string (with its own content type in `headers`). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteRule {
  access: Access;
  request(kit: SecurityKit, signer: Signer): RestRequest | Promise<RestRequest>;
  /** Meta's handshake: one URL for every workspace, so any workspace's verify token answers (the challenge reveals nothing). */
  sharedAcrossWorkspaces?: true;
}

export interface EventRule {
  access: Access;
  payload(kit: SecurityKit): unknown | Promise<unknown>;
}

const json = { 'content-type': 'application/json' };

const VERIFY_TOKENS = { whatsapp: WA.verifyToken, instagram: IG.verifyToken, messenger: FB.verifyToken };
const APP_SECRETS = { whatsapp: WA.appSecret, instagram: IG.appSecret, messenger: FB.appSecret };

function handshake(channel: 'whatsapp' | 'instagram' | 'messenger'): RouteRule {
  const tokens = { acme: VERIFY_TOKENS[channel], globex: GLOBEX_WA.verifyToken };
  return {
    access: 'meta',
    sharedAcrossWorkspaces: true,
    request: (_kit, signer) => ({
      path: `/webhooks/${channel}?hub.mode=subscribe&hub.challenge=42${signer ? `&hub.verify_token=${tokens[signer]}` : ''}`,
    }),
  };
}

let delivery = 0;
function webhook(channel: 'whatsapp' | 'instagram' | 'messenger'): RouteRule {
  return {
    access: 'meta',
    request: (_kit, signer) => {
      delivery += 1;
      const text = `Delivery ${delivery}`;
      const payload = channel === 'whatsapp'
        ? waText('5215512340777', 'Webhook', text)
        : channel === 'instagram' ? igMessage('IGSID-security', { text }) : fbMessage('PSID-security', { text });
      const body = JSON.stringify(payload);
      const secrets = { acme: APP_SECRETS[channel], globex: GLOBEX_WA.appSecret };
      return { path: `/webhooks/${channel}`, body, headers: { ...json, ...(signer ? { 'x-hub-signature-256': signatureOf(body, secrets[signer]) } : {}) } };
    },
  };
}

/** A customer's mail posted by the provider with the inbox's secret (Globex's: a secret of another inbox). */
const inboundMail: RouteRule = {
  access: 'inbox',
  request: (kit, signer) => {
    delivery += 1;
    const raw = [`From: cliente${delivery}@cliente.test`, 'To: support@acme.test', `Subject: Consulta ${delivery}`, `Message-ID: <delivery-${delivery}@cliente.test>`, '', `Hola ${delivery}`, ''].join('\r\n');
    const secrets = { acme: INBOX.inboundSecret, globex: 'globex-inbound-secret-0123456789' };
    return { path: `/webhooks/email/${kit.acme.inboxKey}`, body: raw, headers: { 'content-type': 'message/rfc822', ...(signer ? { 'x-charla-secret': secrets[signer] } : {}) } };
  },
};

let serial = 0;
const unique = () => ++serial;

/** The id of something new in Acme, made by its admin (for requests that delete or change it). */
async function freshAcme(kit: SecurityKit, path: string, body: unknown): Promise<string> {
  const { status, body: created } = await api(kit.url, path, { token: kit.test.acme.admin.token, method: 'POST', body });
  if (status !== 201) throw new Error(`POST ${path} failed: ${status} ${JSON.stringify(created)}`);
  const { id } = created as { id: string };
  kit.acmeIds.push(id);
  return id;
}

/** A workspace made through the platform API, for its routes to act on. */
async function platformWorkspace(kit: SecurityKit): Promise<{ id: string; agentId: string }> {
  const headers = { authorization: `Bearer ${PLATFORM_KEY}`, 'content-type': 'application/json' };
  const made = await fetch(`${kit.url}/platform/v1/workspaces`, { method: 'POST', headers, body: JSON.stringify({ name: `Platform ${unique()}` }) });
  const { workspace } = (await made.json()) as { workspace: { id: string } };
  const agent = await fetch(`${kit.url}/platform/v1/workspaces/${workspace.id}/agents`, {
    method: 'POST', headers, body: JSON.stringify({ externalId: `ext-${unique()}`, name: 'Plat Agent', email: `plat${unique()}@example.com`, role: 'agent' }),
  });
  return { id: workspace.id, agentId: ((await agent.json()) as { agent: { id: string } }).agent.id };
}

function platformRoute(_method: string, path: (workspace: { id: string; agentId: string }) => string, body?: unknown): RouteRule {
  return {
    access: 'platform',
    request: async (kit) => ({ path: `/platform/v1${path(await platformWorkspace(kit))}`, ...(body !== undefined ? { body } : {}) }),
  };
}

/** A data export job of Acme's contact (made by Acme's admin), finished when `ready`. */
async function dataExportJob(k: SecurityKit, ready: boolean): Promise<string> {
  const queued = await api<{ id: string }>(k.url, `/api/v1/contacts/${k.acme.contactId}/data-export?async=1`, { token: k.test.acme.admin.token });
  k.acmeIds.push(queued.body.id);
  if (ready) {
    await eventually(async () => (await api<{ state: string }>(k.url, `/api/v1/data-exports/${queued.body.id}`, { token: k.test.acme.admin.token })).body.state === 'ready', 6000, 'data export ready');
  }
  return queued.body.id;
}

/** `METHOD /path` (as express registers it) → its rule. */
export const ROUTES: Record<string, RouteRule> = {
  'GET /healthz': { access: 'public', request: () => ({ path: '/healthz' }) },
  'POST /platform/v1/workspaces': { access: 'platform', request: () => ({ path: '/platform/v1/workspaces', body: { name: `Made ${unique()}` } }) },
  'GET /platform/v1/workspaces': { access: 'platform', request: () => ({ path: '/platform/v1/workspaces' }) },
  'GET /platform/v1/workspaces/:workspaceId': platformRoute('GET', (w) => `/workspaces/${w.id}`),
  'PATCH /platform/v1/workspaces/:workspaceId': platformRoute('PATCH', (w) => `/workspaces/${w.id}`, { currency: 'MXN' }),
  'DELETE /platform/v1/workspaces/:workspaceId': platformRoute('DELETE', (w) => `/workspaces/${w.id}`),
  'POST /platform/v1/workspaces/:workspaceId/signing-secret': platformRoute('POST', (w) => `/workspaces/${w.id}/signing-secret`, {}),
  'DELETE /platform/v1/workspaces/:workspaceId/signing-secret/previous': platformRoute('DELETE', (w) => `/workspaces/${w.id}/signing-secret/previous`),
  'POST /platform/v1/workspaces/:workspaceId/agents': platformRoute('POST', (w) => `/workspaces/${w.id}/agents`, { externalId: 'ext-new', name: 'Nueva', email: 'nueva@example.com', role: 'viewer' }),
  'GET /platform/v1/workspaces/:workspaceId/agents': platformRoute('GET', (w) => `/workspaces/${w.id}/agents`),
  'PATCH /platform/v1/workspaces/:workspaceId/agents/:agentId': platformRoute('PATCH', (w) => `/workspaces/${w.id}/agents/${w.agentId}`, { role: 'admin' }),
  'GET /widget.js': { access: 'public', request: () => ({ path: '/widget.js' }) },
  'GET /widget-panel.js': { access: 'public', request: () => ({ path: '/widget-panel.js' }) },
  'GET /survey-card-:hash.js': { access: 'public', request: () => ({ path: '/survey-card-test.js' }) },
  'GET /widget/availability/:widgetKey': { access: 'public', request: (k) => ({ path: `/widget/availability/${k.test.acme.workspace.widgetKey}` }) },
  'GET /webhooks/whatsapp': handshake('whatsapp'),
  'POST /webhooks/whatsapp': webhook('whatsapp'),
  'GET /webhooks/instagram': handshake('instagram'),
  'POST /webhooks/instagram': webhook('instagram'),
  'GET /webhooks/messenger': handshake('messenger'),
  'POST /webhooks/messenger': webhook('messenger'),
  'POST /webhooks/email/:inboxKey': inboundMail,
  'GET /readyz': { access: 'public', request: () => ({ path: '/readyz' }) },

  'GET /api/v1/events': { access: 'viewer', request: () => ({ path: '/api/v1/events?since=0' }) },

  'GET /api/v1/conversations': { access: 'viewer', request: () => ({ path: '/api/v1/conversations?status=all' }) },
  'GET /api/v1/conversations/:id': { access: 'viewer', request: (k) => ({ path: `/api/v1/conversations/${k.acme.conversationId}` }) },
  'PATCH /api/v1/conversations/:id': { access: 'agent', request: (k) => ({ path: `/api/v1/conversations/${k.acme.conversationId}`, body: { priority: 'high' } }) },
  'GET /api/v1/conversations/:id/messages': { access: 'viewer', request: (k) => ({ path: `/api/v1/conversations/${k.acme.conversationId}/messages` }) },
  'POST /api/v1/conversations/:id/messages': {
    access: 'agent',
    request: (k) => ({ path: `/api/v1/conversations/${k.acme.conversationId}/messages`, body: { clientId: clientId(), body: 'We are on it' } }),
  },
  'POST /api/v1/conversations/:id/templates': {
    access: 'agent',
    request: (k) => ({
      path: `/api/v1/conversations/${k.acme.whatsappConversationId}/templates`,
      body: { clientId: clientId(), ...k.acme.template, parameters: ['Ana', 'A-1'] },
    }),
  },
  'GET /api/v1/media/:messageId': { access: 'viewer', request: (k) => ({ path: `/api/v1/media/${k.acme.mediaMessageId}` }) },
  'GET /api/v1/media/:messageId/:index': { access: 'viewer', request: (k) => ({ path: `/api/v1/media/${k.acme.attachmentMessageId}/0` }) },
  'GET /api/v1/channels/email': { access: 'admin', request: () => ({ path: '/api/v1/channels/email' }) },
  'PUT /api/v1/channels/email': { access: 'admin', request: () => ({ path: '/api/v1/channels/email', body: { fromName: INBOX.fromName } }) },
  'POST /api/v1/conversations/:id/attachments': {
    access: 'agent',
    request: (k) => ({
      path: `/api/v1/conversations/${k.acme.emailConversationId}/attachments`, body: '%PDF-1.4 presupuesto',
      headers: { 'content-type': 'application/pdf', 'x-filename': 'presupuesto.pdf' },
    }),
  },
  'GET /api/v1/channels/email/inboxes': { access: 'admin', request: () => ({ path: '/api/v1/channels/email/inboxes' }) },
  'POST /api/v1/channels/email/inboxes': {
    access: 'admin',
    request: () => ({ path: '/api/v1/channels/email/inboxes', body: { address: `ventas-${clientId().toLowerCase()}@acme.test`, smtpUrl: 'smtp://127.0.0.1:9' } }),
  },
  'PUT /api/v1/channels/email/inboxes/:id': {
    access: 'admin', request: (k) => ({ path: `/api/v1/channels/email/inboxes/${k.acme.inboxKey}`, body: { fromName: INBOX.fromName } }),
  },
  'DELETE /api/v1/channels/email/inboxes/:id': { access: 'admin', request: async (k) => ({ path: `/api/v1/channels/email/inboxes/${await freshInbox(k)}` }) },
  'GET /api/v1/conversations/:id/insight': { access: 'viewer', request: (k) => ({ path: `/api/v1/conversations/${k.acme.conversationId}/insight` }) },
  'POST /api/v1/conversations/:id/suggestions': { access: 'agent', request: (k) => ({ path: `/api/v1/conversations/${k.acme.conversationId}/suggestions`, body: { count: 1 } }) },
  'POST /api/v1/conversations/:id/quote-draft': { access: 'agent', request: (k) => ({ path: `/api/v1/conversations/${k.acme.conversationId}/quote-draft` }) },
  'POST /api/v1/conversations/:id/quote': {
    access: 'agent',
    request: (k) => ({
      path: `/api/v1/conversations/${k.acme.conversationId}/quote`,
      body: { clientId: clientId(), currency: 'USD', language: 'en', items: [{ description: 'Acme mug', quantity: 2, unitPrice: 12 }] },
    }),
  },
  'GET /api/v1/conversations/:id/follow-ups': { access: 'viewer', request: (k) => ({ path: `/api/v1/conversations/${k.acme.conversationId}/follow-ups` }) },
  'POST /api/v1/follow-ups/:id/approve': {
    access: 'agent', request: async (k) => ({ path: `/api/v1/follow-ups/${await k.freshFollowUp()}/approve`, body: { clientId: clientId() } }),
  },
  'POST /api/v1/follow-ups/:id/dismiss': { access: 'agent', request: async (k) => ({ path: `/api/v1/follow-ups/${await k.freshFollowUp()}/dismiss` }) },

  'GET /api/v1/contacts': { access: 'viewer', request: () => ({ path: '/api/v1/contacts?query=acme' }) },
  'GET /api/v1/contacts/:id': { access: 'viewer', request: (k) => ({ path: `/api/v1/contacts/${k.acme.contactId}` }) },
  'PATCH /api/v1/contacts/:id': { access: 'agent', request: (k) => ({ path: `/api/v1/contacts/${k.acme.contactId}`, body: { tags: ['vip'] } }) },
  'DELETE /api/v1/contacts/:id': { access: 'admin', request: async (k) => ({ path: `/api/v1/contacts/${await k.freshContact()}` }) },
  'POST /api/v1/contacts/:id/merge': {
    access: 'agent',
    request: async (k) => ({ path: `/api/v1/contacts/${await k.freshContact()}/merge`, body: { mergeId: await k.freshContact() } }),
  },
  'GET /api/v1/contacts/:id/merges': { access: 'viewer', request: (k) => ({ path: `/api/v1/contacts/${k.acme.contactId}/merges` }) },
  'POST /api/v1/contacts/:id/unmerge': {
    access: 'agent',
    request: async (k) => {
      const { contactId, mergeId } = await k.freshMerge();
      return { path: `/api/v1/contacts/${contactId}/unmerge`, body: { mergeId } };
    },
  },
  'GET /api/v1/contacts/duplicates': { access: 'viewer', request: (k) => ({ path: `/api/v1/contacts/duplicates?contactId=${k.acme.contactId}` }) },
  'POST /api/v1/contacts/duplicates/dismiss': {
    access: 'agent',
    request: (k) => ({ path: '/api/v1/contacts/duplicates/dismiss', body: { contactId: k.acme.contactId, otherId: k.acme.companyContactId } }),
  },
  'POST /api/v1/contacts/import': {
    access: 'agent',
    request: () => ({ path: '/api/v1/contacts/import', body: `name,email\nImported ${unique()},imported${serial}@acme-import.test\n`, headers: { 'content-type': 'text/csv' } }),
  },
  'GET /api/v1/contacts/export': { access: 'agent', request: () => ({ path: '/api/v1/contacts/export?format=json' }) },
  'GET /api/v1/contacts/:id/data-export': { access: 'admin', request: (k) => ({ path: `/api/v1/contacts/${k.acme.contactId}/data-export` }) },
  'GET /api/v1/data-exports/:id': { access: 'admin', request: async (k) => ({ path: `/api/v1/data-exports/${await dataExportJob(k, false)}` }) },
  'GET /api/v1/data-exports/:id/download': { access: 'admin', request: async (k) => ({ path: `/api/v1/data-exports/${await dataExportJob(k, true)}/download` }) },
  'GET /api/v1/audit': { access: 'admin', request: () => ({ path: '/api/v1/audit?limit=5' }) },
  'GET /api/v1/privacy/settings': { access: 'admin', request: () => ({ path: '/api/v1/privacy/settings' }) },
  'PUT /api/v1/privacy/settings': { access: 'admin', request: () => ({ path: '/api/v1/privacy/settings', body: { retentionMonths: 120 } }) },
  'GET /api/v1/contacts/:id/timeline': { access: 'viewer', request: (k) => ({ path: `/api/v1/contacts/${k.acme.contactId}/timeline` }) },
  'GET /api/v1/contacts/:id/commerce': { access: 'viewer', request: (k) => ({ path: `/api/v1/contacts/${k.acme.contactId}/commerce` }) },
  'GET /api/v1/contacts/:id/insights': { access: 'viewer', request: (k) => ({ path: `/api/v1/contacts/${k.acme.contactId}/insights` }) },
  'GET /api/v1/companies': { access: 'viewer', request: () => ({ path: '/api/v1/companies' }) },
  'PATCH /api/v1/companies/:id': { access: 'agent', request: (k) => ({ path: `/api/v1/companies/${k.acme.companyId}`, body: { externalIds: { erp: `co-${unique()}` } } }) },
  'POST /api/v1/contacts/search': { access: 'viewer', request: () => ({ path: '/api/v1/contacts/search', body: { filter: { query: 'acme', segment: 'active' } } }) },
  'POST /api/v1/contacts/bulk': {
    access: 'agent',
    request: (k) => ({ path: '/api/v1/contacts/bulk', body: { selection: { ids: [k.acme.contactId] }, addTags: ['revisado'] } }),
  },
  'POST /api/v1/contacts/export': { access: 'agent', request: (k) => ({ path: '/api/v1/contacts/export', body: { selection: { ids: [k.acme.contactId] }, format: 'json' } }) },
  'GET /api/v1/segments': { access: 'viewer', request: () => ({ path: '/api/v1/segments' }) },
  'POST /api/v1/segments': { access: 'agent', request: () => ({ path: '/api/v1/segments', body: { name: `Mayoristas ${unique()}`, filter: { tags: ['mayorista'] } } }) },
  'PATCH /api/v1/segments/:id': { access: 'agent', request: (k) => ({ path: `/api/v1/segments/${k.acme.segmentId}`, body: { name: `Acme VIP ${unique()}` } }) },
  'DELETE /api/v1/segments/:id': { access: 'agent', request: async (k) => ({ path: `/api/v1/segments/${await k.freshSegment()}` }) },
  'GET /api/v1/segments/:id/contacts': { access: 'viewer', request: (k) => ({ path: `/api/v1/segments/${k.acme.segmentId}/contacts?limit=5` }) },
  'GET /api/v1/broadcasts': { access: 'admin', request: () => ({ path: '/api/v1/broadcasts' }) },
  'POST /api/v1/broadcasts': { access: 'admin', request: (k) => ({ path: '/api/v1/broadcasts', body: k.broadcastBody() }) },
  'POST /api/v1/broadcasts/preview': { access: 'admin', request: (k) => ({ path: '/api/v1/broadcasts/preview', body: { ...k.broadcastBody(), name: undefined, scheduledAt: undefined } }) },
  'GET /api/v1/broadcasts/settings': { access: 'admin', request: () => ({ path: '/api/v1/broadcasts/settings' }) },
  'PUT /api/v1/broadcasts/settings': { access: 'admin', request: () => ({ path: '/api/v1/broadcasts/settings', body: { messagesPerSecond: 80 } }) },
  'GET /api/v1/broadcasts/:id': { access: 'admin', request: (k) => ({ path: `/api/v1/broadcasts/${k.acme.broadcastId}` }) },
  'GET /api/v1/broadcasts/:id/recipients': { access: 'admin', request: (k) => ({ path: `/api/v1/broadcasts/${k.acme.broadcastId}/recipients?limit=5` }) },
  'POST /api/v1/broadcasts/:id/cancel': { access: 'admin', request: async (k) => ({ path: `/api/v1/broadcasts/${await k.freshBroadcast()}/cancel` }) },
  'POST /api/v1/companies/search': { access: 'viewer', request: () => ({ path: '/api/v1/companies/search', body: { query: 'acme', sort: 'ltv' } }) },
  'GET /api/v1/companies/:id': { access: 'viewer', request: (k) => ({ path: `/api/v1/companies/${k.acme.companyId}` }) },
  'GET /api/v1/companies/:id/timeline': { access: 'viewer', request: (k) => ({ path: `/api/v1/companies/${k.acme.companyId}/timeline` }) },

  'GET /api/v1/pipelines': { access: 'viewer', request: () => ({ path: '/api/v1/pipelines' }) },
  'POST /api/v1/pipelines': { access: 'admin', request: () => ({ path: '/api/v1/pipelines', body: { name: `Renewals ${unique()}`, stages: [{ name: 'Due' }] } }) },
  'PATCH /api/v1/pipelines/:id': { access: 'admin', request: (k) => ({ path: `/api/v1/pipelines/${k.acme.pipelineId}`, body: { name: 'Acme sales' } }) },
  'GET /api/v1/pipelines/:id/automation': { access: 'viewer', request: (k) => ({ path: `/api/v1/pipelines/${k.acme.pipelineId}/automation` }) },
  'PUT /api/v1/pipelines/:id/automation': { access: 'admin', request: (k) => ({ path: `/api/v1/pipelines/${k.acme.pipelineId}/automation`, body: { followUpHours: 24 } }) },
  'GET /api/v1/deals': { access: 'viewer', request: () => ({ path: '/api/v1/deals' }) },
  'POST /api/v1/deals': {
    access: 'agent',
    request: (k) => ({ path: '/api/v1/deals', body: { pipelineId: k.acme.pipelineId, title: 'Second order', currency: 'USD', contactId: k.acme.contactId } }),
  },
  'GET /api/v1/deals/:id': { access: 'viewer', request: (k) => ({ path: `/api/v1/deals/${k.acme.dealId}` }) },
  'PATCH /api/v1/deals/:id': { access: 'agent', request: (k) => ({ path: `/api/v1/deals/${k.acme.dealId}`, body: { amount: 150 } }) },
  'POST /api/v1/deals/:id/undo': { access: 'agent', request: (k) => ({ path: `/api/v1/deals/${k.acme.dealId}/undo`, body: {} }) },
  'GET /api/v1/tasks': { access: 'viewer', request: () => ({ path: '/api/v1/tasks?view=all' }) },
  'POST /api/v1/tasks': { access: 'agent', request: (k) => ({ path: '/api/v1/tasks', body: { title: 'Send the quote', contactId: k.acme.contactId } }) },
  'PATCH /api/v1/tasks/:id': { access: 'agent', request: (k) => ({ path: `/api/v1/tasks/${k.acme.taskId}`, body: { title: 'Call Acme back soon' } }) },
  'POST /api/v1/events': {
    access: 'agent',
    request: (k) => ({ path: '/api/v1/events', body: { kind: 'purchase', contactId: k.acme.contactId, amount: 20, currency: 'USD' } }),
  },
  'GET /api/v1/metrics/:name': { access: 'viewer', request: () => ({ path: '/api/v1/metrics/volume' }) },
  'GET /api/v1/metrics/:name/csv': { access: 'agent', request: () => ({ path: '/api/v1/metrics/workload/csv' }) },
  'GET /api/v1/reports/metrics.pdf': { access: 'agent', request: () => ({ path: '/api/v1/reports/metrics.pdf' }) },
  'GET /api/v1/spend': { access: 'viewer', request: () => ({ path: '/api/v1/spend' }) },
  'POST /api/v1/spend': { access: 'admin', request: () => ({ path: '/api/v1/spend', body: { channel: 'whatsapp', month: '2026-04', amount: 120, currency: 'MXN' } }) },

  'GET /api/v1/canned-responses': { access: 'viewer', request: () => ({ path: '/api/v1/canned-responses' }) },
  'POST /api/v1/canned-responses': {
    access: 'admin',
    request: () => ({ path: '/api/v1/canned-responses', body: { shortcut: `hello-${unique()}`, title: 'Hello', body: 'Hello from Acme' } }),
  },
  'PATCH /api/v1/canned-responses/:id': { access: 'admin', request: (k) => ({ path: `/api/v1/canned-responses/${k.acme.cannedId}`, body: { title: 'Thanks' } }) },
  'DELETE /api/v1/canned-responses/:id': { access: 'admin', request: async (k) => ({ path: `/api/v1/canned-responses/${await k.freshCanned()}` }) },
  'GET /api/v1/knowledge': { access: 'viewer', request: () => ({ path: '/api/v1/knowledge' }) },
  'GET /api/v1/knowledge/search': { access: 'viewer', request: () => ({ path: '/api/v1/knowledge/search?query=deliver' }) },
  'POST /api/v1/knowledge': {
    access: 'admin',
    request: () => ({ path: '/api/v1/knowledge', body: { kind: 'faq', title: `Opening hours ${unique()}`, body: 'Acme opens at nine.' } }),
  },
  'DELETE /api/v1/knowledge/:id': { access: 'admin', request: async (k) => ({ path: `/api/v1/knowledge/${await k.freshKnowledge()}` }) },
  'GET /api/v1/teams': { access: 'viewer', request: () => ({ path: '/api/v1/teams' }) },
  'POST /api/v1/teams': { access: 'admin', request: () => ({ path: '/api/v1/teams', body: { name: `Support ${unique()}` } }) },
  'PATCH /api/v1/teams/:id': { access: 'admin', request: (k) => ({ path: `/api/v1/teams/${k.acme.teamId}`, body: { name: `Acme sales ${unique()}` } }) },
  'DELETE /api/v1/teams/:id': { access: 'admin', request: async (k) => ({ path: `/api/v1/teams/${await freshAcme(k, '/api/v1/teams', { name: `Gone ${unique()}` })}` }) },
  'GET /api/v1/agents': { access: 'admin', request: () => ({ path: '/api/v1/agents' }) },
  'POST /api/v1/agents': { access: 'admin', request: () => ({ path: '/api/v1/agents', body: { name: 'Nadia', email: `nadia${unique()}@acme.test`, role: 'agent' } }) },
  'PATCH /api/v1/agents/:id': {
    access: 'admin',
    request: async (k) => ({
      path: `/api/v1/agents/${await freshAcme(k, '/api/v1/agents', { name: 'Omar', email: `omar${unique()}@acme.test`, role: 'agent' })}`,
      body: { role: 'viewer' },
    }),
  },

  'GET /api/v1/ai/settings': { access: 'viewer', request: () => ({ path: '/api/v1/ai/settings' }) },
  'PATCH /api/v1/ai/settings': { access: 'admin', request: () => ({ path: '/api/v1/ai/settings', body: { qualifyThreshold: 70 } }) },
  'GET /api/v1/workspace': { access: 'admin', request: () => ({ path: '/api/v1/workspace' }) },
  'PATCH /api/v1/workspace': { access: 'admin', request: () => ({ path: '/api/v1/workspace', body: { defaultCountry: 'MX' } }) },
  'GET /api/v1/api-keys': { access: 'admin', request: () => ({ path: '/api/v1/api-keys' }) },
  'POST /api/v1/api-keys': { access: 'admin', request: () => ({ path: '/api/v1/api-keys', body: { name: `Acme ERP ${unique()}`, role: 'viewer' } }) },
  'DELETE /api/v1/api-keys/:id': {
    access: 'admin',
    request: async (k) => {
      const created = await api<{ apiKey: { id: string } }>(k.url, '/api/v1/api-keys', { token: k.test.acme.admin.token, method: 'POST', body: { name: `Acme to revoke ${unique()}` } });
      k.acmeIds.push(created.body.apiKey.id);
      return { path: `/api/v1/api-keys/${created.body.apiKey.id}` };
    },
  },
  'GET /api/v1/webhooks': { access: 'admin', request: () => ({ path: '/api/v1/webhooks' }) },
  'POST /api/v1/webhooks': { access: 'admin', request: (k) => ({ path: '/api/v1/webhooks', body: { url: k.webhookReceiver.url, events: ['csat.submitted'] } }) },
  'GET /api/v1/webhooks/:id': { access: 'admin', request: (k) => ({ path: `/api/v1/webhooks/${k.acme.webhookId}` }) },
  'PATCH /api/v1/webhooks/:id': { access: 'admin', request: (k) => ({ path: `/api/v1/webhooks/${k.acme.webhookId}`, body: { description: 'ERP' } }) },
  'DELETE /api/v1/webhooks/:id': { access: 'admin', request: async (k) => ({ path: `/api/v1/webhooks/${await k.freshWebhook()}` }) },
  'GET /api/v1/webhooks/:id/deliveries': { access: 'admin', request: (k) => ({ path: `/api/v1/webhooks/${k.acme.webhookId}/deliveries` }) },
  'POST /api/v1/webhooks/:id/deliveries/:deliveryId/redeliver': {
    access: 'admin',
    request: (k) => ({ path: `/api/v1/webhooks/${k.acme.webhookId}/deliveries/${k.acme.webhookDeliveryId}/redeliver` }),
  },
  'GET /api/v1/csat/settings': { access: 'agent', request: () => ({ path: '/api/v1/csat/settings' }) },
  'PUT /api/v1/csat/settings': { access: 'admin', request: () => ({ path: '/api/v1/csat/settings', body: { enabled: true } }) },
  'PATCH /api/v1/csat/settings': { access: 'admin', request: () => ({ path: '/api/v1/csat/settings', body: { expiresHours: 48 } }) },
  'GET /api/v1/conversations/:id/csat': { access: 'viewer', request: (k) => ({ path: `/api/v1/conversations/${k.acme.conversationId}/csat` }) },
  'GET /api/v1/workspace/widget': { access: 'admin', request: () => ({ path: '/api/v1/workspace/widget' }) },
  'PATCH /api/v1/workspace/widget': { access: 'admin', request: () => ({ path: '/api/v1/workspace/widget', body: { hideWhenOffline: false } }) },
  'POST /api/v1/workspace/widget/secret': { access: 'admin', request: () => ({ path: '/api/v1/workspace/widget/secret', body: {} }) },
  'GET /api/v1/workspace/routing': { access: 'admin', request: () => ({ path: '/api/v1/workspace/routing' }) },
  'PATCH /api/v1/workspace/routing': { access: 'admin', request: () => ({ path: '/api/v1/workspace/routing', body: { stickyAgent: true } }) },
  'GET /api/v1/channels/:channel': { access: 'admin', request: () => ({ path: '/api/v1/channels/whatsapp' }) },
  'PUT /api/v1/channels/:channel': { access: 'admin', request: () => ({ path: '/api/v1/channels/whatsapp', body: { verifyToken: WA.verifyToken } }) },
  'POST /api/v1/channels/whatsapp/templates/sync': { access: 'admin', request: () => ({ path: '/api/v1/channels/whatsapp/templates/sync' }) },
  'GET /api/v1/channels/whatsapp/templates': { access: 'viewer', request: () => ({ path: '/api/v1/channels/whatsapp/templates' }) },
};

/** `/namespace event` → its rule. */
export const EVENTS: Record<string, EventRule> = {
  '/agent session.get': { access: 'viewer', payload: () => ({}) },
  '/agent sync': { access: 'viewer', payload: () => ({ since: 0 }) },
  '/agent presence.list': { access: 'viewer', payload: () => ({}) },
  '/agent presence.set': { access: 'viewer', payload: () => ({ status: 'online' }) },
  '/agent notifications.list': { access: 'viewer', payload: () => ({}) },
  '/agent notifications.read': { access: 'viewer', payload: () => ({}) },

  '/agent conversations.list': { access: 'viewer', payload: () => ({ status: 'all' }) },
  '/agent conversation.get': { access: 'viewer', payload: (k) => ({ conversationId: k.acme.conversationId }) },
  '/agent conversation.update': { access: 'agent', payload: (k) => ({ conversationId: k.acme.conversationId, priority: 'high' }) },
  '/agent conversation.read': { access: 'viewer', payload: (k) => ({ conversationId: k.acme.conversationId }) },
  '/agent messages.list': { access: 'viewer', payload: (k) => ({ conversationId: k.acme.conversationId }) },
  '/agent message.send': { access: 'agent', payload: (k) => ({ conversationId: k.acme.conversationId, clientId: clientId(), body: 'On our way' }) },
  '/agent typing': { access: 'agent', payload: (k) => ({ conversationId: k.acme.conversationId }) },
  '/agent canned.list': { access: 'viewer', payload: () => ({}) },
  '/agent templates.list': { access: 'viewer', payload: () => ({}) },
  '/agent template.send': {
    access: 'agent',
    payload: (k) => ({ conversationId: k.acme.whatsappConversationId, clientId: clientId(), ...k.acme.template, parameters: ['Ana', 'A-2'] }),
  },

  '/agent contact.get': { access: 'viewer', payload: (k) => ({ contactId: k.acme.contactId }) },
  '/agent contact.profile': { access: 'viewer', payload: (k) => ({ contactId: k.acme.contactId }) },
  '/agent contacts.search': { access: 'viewer', payload: () => ({ query: 'acme' }) },
  '/agent contact.update': { access: 'agent', payload: (k) => ({ contactId: k.acme.contactId, patch: { tags: ['vip'] } }) },
  '/agent note.create': { access: 'agent', payload: (k) => ({ contactId: k.acme.contactId, body: 'Prefers mornings' }) },
  '/agent contact.mergePreview': { access: 'agent', payload: async (k) => ({ contactId: await k.freshContact(), mergeId: await k.freshContact() }) },
  '/agent contact.merge': { access: 'agent', payload: async (k) => ({ contactId: await k.freshContact(), mergeId: await k.freshContact() }) },
  '/agent contact.merges': { access: 'viewer', payload: (k) => ({ contactId: k.acme.contactId }) },
  '/agent contact.unmerge': { access: 'agent', payload: (k) => k.freshMerge() },
  '/agent contacts.duplicates': { access: 'viewer', payload: (k) => ({ contactId: k.acme.contactId }) },
  '/agent contacts.dismissDuplicate': { access: 'agent', payload: (k) => ({ contactId: k.acme.contactId, otherId: k.acme.companyContactId }) },
  '/agent contact.commerce': { access: 'viewer', payload: (k) => ({ contactId: k.acme.contactId }) },
  '/agent timeline.list': { access: 'viewer', payload: (k) => ({ contactId: k.acme.contactId }) },

  '/agent pipelines.list': { access: 'viewer', payload: () => ({}) },
  '/agent deals.list': { access: 'viewer', payload: () => ({}) },
  '/agent deal.get': { access: 'viewer', payload: (k) => ({ dealId: k.acme.dealId }) },
  '/agent deal.create': { access: 'agent', payload: (k) => ({ pipelineId: k.acme.pipelineId, title: 'Third order', currency: 'USD', contactId: k.acme.contactId }) },
  '/agent deal.update': { access: 'agent', payload: (k) => ({ dealId: k.acme.dealId, amount: 175 }) },
  '/agent deal.undo': { access: 'agent', payload: (k) => ({ dealId: k.acme.dealId }) },
  '/agent tasks.list': { access: 'viewer', payload: () => ({ view: 'all' }) },
  '/agent task.create': { access: 'agent', payload: (k) => ({ title: 'Follow up', contactId: k.acme.contactId }) },
  '/agent task.update': { access: 'agent', payload: (k) => ({ taskId: k.acme.taskId, title: 'Follow up tomorrow' }) },
  '/agent metrics.get': { access: 'viewer', payload: () => ({ name: 'volume' }) },

  '/agent ai.insight': { access: 'viewer', payload: (k) => ({ conversationId: k.acme.conversationId }) },
  '/agent ai.contactInsights': { access: 'viewer', payload: (k) => ({ contactId: k.acme.contactId }) },
  '/agent ai.suggestReplies': { access: 'agent', payload: (k) => ({ conversationId: k.acme.conversationId, count: 1 }) },
  '/agent ai.quoteDraft': { access: 'agent', payload: (k) => ({ conversationId: k.acme.conversationId }) },
  '/agent quote.send': {
    access: 'agent',
    payload: (k) => ({ conversationId: k.acme.conversationId, clientId: clientId(), currency: 'USD', items: [{ description: 'Acme mug', quantity: 1, unitPrice: 12 }] }),
  },
  '/agent ai.followUps': { access: 'viewer', payload: (k) => ({ conversationId: k.acme.conversationId }) },
  '/agent ai.followUp.approve': { access: 'agent', payload: async (k) => ({ id: await k.freshFollowUp(), clientId: clientId() }) },
  '/agent ai.followUp.dismiss': { access: 'agent', payload: async (k) => ({ id: await k.freshFollowUp() }) },
  '/agent ai.settings.get': { access: 'viewer', payload: () => ({}) },
  '/agent ai.settings.update': { access: 'admin', payload: () => ({ qualifyThreshold: 75 }) },

  '/visitor session.get': { access: 'visitor', payload: () => ({}) },
  '/visitor sync': { access: 'visitor', payload: () => ({ since: 0 }) },
  '/visitor messages.list': { access: 'visitor', payload: (k) => ({ before: k.acme.messageId }) },
  '/visitor message.send': { access: 'visitor', payload: () => ({ clientId: clientId(), body: 'Is it in stock?' }) },
  '/visitor typing': { access: 'visitor', payload: () => ({}) },
  '/visitor profile.update': { access: 'visitor', payload: () => ({ name: 'Vera Visitor' }) },
  '/visitor prechat.submit': { access: 'visitor', payload: () => ({ name: 'Vera Visitor' }) },
  '/visitor identify': { access: 'visitor', payload: () => ({ name: 'Vera Visitor' }) },
  '/visitor csat.submit': { access: 'visitor', payload: async (k) => ({ surveyId: await openSurvey(k), rating: 4 }) },
};

/** A survey of the visitor's conversation waiting for its answer: surveys on, the conversation resolved (again). */
async function openSurvey(k: SecurityKit): Promise<string> {
  const token = k.test.acme.admin.token;
  await api(k.url, '/api/v1/csat/settings', { token, method: 'PUT', body: { enabled: true } });
  const path = `/api/v1/conversations/${k.acme.conversationId}`;
  await api(k.url, path, { token, method: 'PATCH', body: { status: 'open' } });
  await api(k.url, path, { token, method: 'PATCH', body: { status: 'resolved' } });
  const { surveys } = (await api<{ surveys: Array<{ id: string; status: string }> }>(k.url, `${path}/csat`, { token })).body;
  const open = surveys.filter((survey) => survey.status === 'asked').at(-1);
  if (!open) throw new Error(`No open survey: ${JSON.stringify(surveys)}`);
  return open.id;
}

const WHO: Record<Access, string> = {
  public: 'anyone',
  platform: 'the host\'s backend (platform key)',
  meta: 'Meta (signed)',
  inbox: 'the mail provider (inbox secret)',
  visitor: 'webchat visitor',
  viewer: 'viewer, agent, admin',
  agent: 'agent, admin',
  admin: 'admin',
};

/** The README's table of every route and event and who may call it (between its roles markers). */
export function rolesTable(): string {
  const rows = [
    ...Object.entries(ROUTES).map(([route, rule]) => `| \`${route}\` | ${WHO[rule.access]} |`),
    ...Object.entries(EVENTS).map(([event, rule]) => `| socket \`${event}\` | ${WHO[rule.access]} |`),
  ];
  return ['| Route or event | Who may call it |', '|---|---|', ...rows].join('\n');
}
