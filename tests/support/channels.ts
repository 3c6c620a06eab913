/**
 * Channel test kit: a Charla server wired to the fake Graph API, a workspace with WhatsApp and
 * Instagram configured, and builders of Meta's webhook payloads, signed like Meta signs them.
 */
import type { CharlaServerOptions } from '../../server/src/app.js';
import { signatureOf } from '../../server/src/channels/signature.js';
import { api, eventually, startServer, type TestServer } from '../server/helpers.js';
import { startFakeGraph, type FakeGraph } from './fake-graph.js';

export const WA = { phoneNumberId: '106540352242922', wabaId: '102290129340398', appSecret: 'wa-app-secret', verifyToken: 'wa-verify', accessToken: 'wa-token' };
export const IG = { accountId: '17841400000000001', appSecret: 'ig-app-secret', verifyToken: 'ig-verify', accessToken: 'ig-token' };
export const FB = { pageId: '104000000000009', appSecret: 'fb-app-secret', verifyToken: 'fb-verify', accessToken: 'fb-page-token' };

export interface ChannelTest {
  test: TestServer;
  graph: FakeGraph;
  close(): Promise<void>;
}

export async function startChannelTest(options: { server?: Partial<CharlaServerOptions> } = {}): Promise<ChannelTest> {
  const graph = await startFakeGraph();
  const test = await startServer({ server: { graphUrl: graph.url, jobBackoffMs: 20, ...options.server } });
  graph.grant(WA.accessToken, WA.phoneNumberId, { display_phone_number: '+1 555-078-3881', verified_name: 'Acme' });
  graph.grant(IG.accessToken, IG.accountId, { username: 'acme' });
  graph.grant(FB.accessToken, FB.pageId, { name: 'Acme' });
  const admin = test.acme.admin.token;
  const wa = await api(test.url, '/api/v1/channels/whatsapp', { token: admin, method: 'PUT', body: WA });
  if (wa.status !== 200) throw new Error(`Configuring WhatsApp failed: ${JSON.stringify(wa.body)}`);
  const ig = await api(test.url, '/api/v1/channels/instagram', { token: admin, method: 'PUT', body: IG });
  if (ig.status !== 200) throw new Error(`Configuring Instagram failed: ${JSON.stringify(ig.body)}`);
  const fb = await api(test.url, '/api/v1/channels/messenger', { token: admin, method: 'PUT', body: FB });
  if (fb.status !== 200) throw new Error(`Configuring Messenger failed: ${JSON.stringify(fb.body)}`);
  return {
    test,
    graph,
    async close() {
      await test.close();
      await graph.close();
    },
  };
}

let counter = 0;
export const wamid = () => `wamid.HBgL${Date.now().toString(36)}${++counter}`;
export const nowSeconds = () => String(Math.floor(Date.now() / 1000));

/** Meta's WhatsApp webhook envelope around one change's `value` (messages or statuses). */
function waEnvelope(value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [{
      id: WA.wabaId,
      changes: [{
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '15550783881', phone_number_id: WA.phoneNumberId },
          ...value,
        },
      }],
    }],
  };
}

/** A WhatsApp webhook payload carrying `messages` from `waId`. */
export function waMessages(waId: string, name: string | null, messages: Array<Record<string, unknown>>): Record<string, unknown> {
  return waEnvelope({
    contacts: [{ profile: name ? { name } : {}, wa_id: waId }],
    messages: messages.map((m) => ({ from: waId, id: wamid(), timestamp: nowSeconds(), ...m })),
  });
}

export function waText(waId: string, name: string | null, body: string, extra: Record<string, unknown> = {}) {
  return waMessages(waId, name, [{ type: 'text', text: { body }, ...extra }]);
}

export function waStatuses(statuses: Array<Record<string, unknown>>): Record<string, unknown> {
  return waEnvelope({ statuses: statuses.map((s) => ({ timestamp: nowSeconds(), recipient_id: '5215512345678', ...s })) });
}

/** Instagram's and Messenger's envelope (`entry[].messaging[]`): one message from `senderId` to the account, or its echo. */
function pageMessage(object: 'instagram' | 'page', accountId: string, mid: string, senderId: string, message: Record<string, unknown>, echo: boolean) {
  return {
    object,
    entry: [{
      id: accountId,
      time: Date.now(),
      messaging: [{
        sender: { id: echo ? accountId : senderId },
        recipient: { id: echo ? senderId : accountId },
        timestamp: Date.now(),
        message: { mid, ...message, ...(echo ? { is_echo: true } : {}) },
      }],
    }],
  };
}

export function igMessage(senderId: string, message: Record<string, unknown>, echo = false): Record<string, unknown> {
  return pageMessage('instagram', IG.accountId, `aWdf${Date.now().toString(36)}${++counter}`, senderId, message, echo);
}

/** A Messenger webhook payload (`object: "page"`) from the PSID `senderId` to the Page (or its echo). */
export function fbMessage(senderId: string, message: Record<string, unknown>, echo = false): Record<string, unknown> {
  return pageMessage('page', FB.pageId, `m_${Date.now().toString(36)}${++counter}`, senderId, message, echo);
}

/** POSTs a webhook as Meta does: the raw JSON bytes, signed with `secret` (none: unsigned). */
export async function postWebhook(
  url: string,
  channel: 'whatsapp' | 'instagram' | 'messenger',
  payload: unknown,
  options: { secret?: string | null; raw?: string; signature?: string } = {},
): Promise<{ status: number; text: string }> {
  const raw = options.raw ?? JSON.stringify(payload);
  const secret = options.secret === undefined ? { whatsapp: WA.appSecret, instagram: IG.appSecret, messenger: FB.appSecret }[channel] : options.secret;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.signature) headers['x-hub-signature-256'] = options.signature;
  else if (secret) headers['x-hub-signature-256'] = signatureOf(raw, secret);
  const response = await fetch(`${url}/webhooks/${channel}`, { method: 'POST', headers, body: raw });
  return { status: response.status, text: await response.text() };
}

/** The conversation on `channel` of the contact a search for `handle` finds (polled: webhooks are processed by jobs). */
export function conversationOfHandle(url: string, token: string, channel: string, handle: string): Promise<any> {
  return until(async () => {
    const [contact] = (await api(url, `/api/v1/contacts?query=${encodeURIComponent(handle)}`, { token })).body.contacts;
    if (!contact) return undefined;
    const list = await api(url, `/api/v1/conversations?status=all&channel=${channel}&limit=100`, { token });
    return list.body.conversations.find((c: any) => c.contactId === contact.id);
  }, `conversation of ${handle}`);
}

/** Polls an async check (webhooks are processed by background jobs) for up to 6 s. */
export function until<T>(check: () => Promise<T | undefined | false>, label: string): Promise<T> {
  return eventually(check, 6000, label);
}
