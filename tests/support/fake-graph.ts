/**
 * A fake of Meta's Graph API on 127.0.0.1, speaking its formats: WhatsApp messages send, media
 * lookup and download, message templates, Instagram send, Conversions API events, and reads of
 * the accounts a token may read (`GET /{phone-number-id}`, `GET /{ig-id}`). It records every
 * request and can be told to fail the next calls with given error codes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | null;
  body: any;
  /** When it arrived (Date.now()). */
  at: number;
  /** The message id a WhatsApp send was answered with. */
  messageId?: string;
}

export interface GraphFailure {
  /** Graph error code (130429, 131047, 190…). */
  code: number;
  status?: number;
  message?: string;
  details?: string;
}

export interface FakeGraph {
  url: string;
  requests: RecordedRequest[];
  /** Requests whose path ends with `suffix` (`/messages`, `/events`). */
  sent(suffix: string): RecordedRequest[];
  /** The next calls to paths ending with `suffix` fail, one failure per call, in order. */
  failNext(suffix: string, ...failures: GraphFailure[]): void;
  /** The next call to a path ending with `suffix` is recorded (with the id it would get) and never answered: a send whose answer is lost. */
  stallNext(suffix: string): void;
  templates: Array<Record<string, unknown>>;
  /** Media by id: served at `/files/{id}`, unless `url` says where Graph sends the download. */
  media: Map<string, { mimeType: string; bytes: Buffer; url?: string }>;
  /** Lets `token` read the account `id` (a WhatsApp phone number, an Instagram account) with these fields. */
  grant(token: string, id: string, fields?: Record<string, unknown>): void;
  /** Customers' profiles by PSID / IGSID (`name`, `username`, `profile_pic`), read with any granted token and `?fields=`. */
  profiles: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

let counter = 0;

export async function startFakeGraph(): Promise<FakeGraph> {
  const requests: RecordedRequest[] = [];
  const failures = new Map<string, GraphFailure[]>();
  const stalls = new Set<string>();
  const media = new Map<string, { mimeType: string; bytes: Buffer; url?: string }>();
  const accounts = new Map<string, { token: string; fields: Record<string, unknown> }>();
  const profiles = new Map<string, Record<string, unknown>>();
  const templates: Array<Record<string, unknown>> = [
    {
      name: 'order_update', language: 'es_MX', status: 'APPROVED', category: 'UTILITY', id: '1001',
      components: [{ type: 'BODY', text: 'Hola {{1}}, tu pedido {{2}} está en camino.' }],
    },
    {
      name: 'welcome_back', language: 'en_US', status: 'APPROVED', category: 'MARKETING', id: '1002',
      components: [{ type: 'BODY', text: 'Welcome back! Reply to continue.' }],
    },
    { name: 'draft_offer', language: 'es_MX', status: 'PENDING', category: 'MARKETING', id: '1003', components: [] },
  ];
  let baseUrl = '';

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', baseUrl);
    const path = url.pathname;
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    const record: RecordedRequest = { method: req.method ?? 'GET', path, authorization: req.headers.authorization ?? null, body, at: Date.now() };
    requests.push(record);

    if (path.startsWith('/files/')) {
      const file = media.get(path.slice('/files/'.length));
      if (!file) return reply(res, 404, { error: { message: 'Not found', code: 100 } });
      res.writeHead(200, { 'content-type': file.mimeType });
      return res.end(file.bytes);
    }
    for (const [suffix, queue] of failures) {
      if (path.endsWith(suffix) && queue.length > 0) {
        const failure = queue.shift()!;
        return reply(res, failure.status ?? 400, {
          error: {
            message: failure.message ?? `Error ${failure.code}`,
            type: 'OAuthException',
            code: failure.code,
            error_data: { messaging_product: 'whatsapp', details: failure.details ?? `Details of ${failure.code}` },
            fbtrace_id: `trace${++counter}`,
          },
        });
      }
    }
    for (const suffix of stalls) {
      if (!path.endsWith(suffix)) continue;
      stalls.delete(suffix);
      record.messageId = `wamid.fake${++counter}`;
      return;
    }
    const segments = path.split('/').filter(Boolean); // [version, id, edge?]
    const [, id, edge] = segments;
    if (req.method === 'POST' && edge === 'messages') {
      const payload = body as Record<string, any>;
      if (payload?.messaging_product === 'whatsapp') {
        if (payload.status === 'read') return reply(res, 200, { success: true });
        record.messageId = `wamid.fake${++counter}`;
        return reply(res, 200, {
          messaging_product: 'whatsapp',
          contacts: [{ input: payload.to, wa_id: payload.to }],
          messages: [{ id: record.messageId }],
        });
      }
      return reply(res, 200, { recipient_id: payload?.recipient?.id, message_id: `mid.fake${++counter}` });
    }
    if (req.method === 'GET' && edge === 'message_templates') return reply(res, 200, { data: templates, paging: { cursors: { before: 'a', after: 'b' } } });
    if (req.method === 'POST' && edge === 'events') return reply(res, 200, { events_received: (body as any)?.data?.length ?? 0, fbtrace_id: 'trace' });
    if (req.method === 'GET' && id && !edge && media.has(id)) {
      const file = media.get(id)!;
      return reply(res, 200, { messaging_product: 'whatsapp', url: file.url ?? `${baseUrl}/files/${id}`, mime_type: file.mimeType, sha256: 'x', file_size: file.bytes.length, id });
    }
    if (req.method === 'GET' && id && !edge) {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const profile = profiles.get(decodeURIComponent(id));
      if (profile && [...accounts.values()].some((account) => account.token === token)) {
        const wanted = (url.searchParams.get('fields') ?? 'name').split(',');
        return reply(res, 200, { ...Object.fromEntries(Object.entries(profile).filter(([field]) => wanted.includes(field))), id: decodeURIComponent(id) });
      }
      if (![...accounts.values()].some((account) => account.token === token)) {
        return reply(res, 401, { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: `trace${++counter}` } });
      }
      const account = accounts.get(id);
      if (!account || account.token !== token) {
        return reply(res, 400, {
          error: {
            message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`,
            type: 'GraphMethodException', code: 100, error_subcode: 33, fbtrace_id: `trace${++counter}`,
          },
        });
      }
      return reply(res, 200, { ...account.fields, id });
    }
    return reply(res, 404, { error: { message: `Unknown path ${path}`, type: 'GraphMethodException', code: 100 } });
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    requests,
    profiles,
    sent: (suffix) => requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix)),
    failNext(suffix, ...list) {
      failures.set(suffix, [...(failures.get(suffix) ?? []), ...list]);
    },
    stallNext(suffix) {
      stalls.add(suffix);
    },
    templates,
    media,
    grant(token, id, fields = {}) {
      accounts.set(id, { token, fields });
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
