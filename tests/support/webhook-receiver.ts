/**
 * A host's webhook endpoint: a real HTTP server on 127.0.0.1 that checks Charla's signature,
 * deduplicates on the delivery id (as a receiver should) and records everything. It answers
 * from a script of behaviours (an HTTP status, or `hang` past the sender's timeout), then 200.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceiverBehaviour = number | 'hang';

export interface ReceivedDelivery {
  id: string;
  type: string;
  createdAt: string;
  workspaceId: string;
  data: any;
}

export interface WebhookRequest {
  headers: IncomingHttpHeaders;
  raw: string;
  body: ReceivedDelivery;
  /** What the receiver answered (null: it hung). */
  answered: number | null;
  /** The signature matched the secret known when it arrived. */
  signatureValid: boolean;
}

export interface WebhookReceiver {
  url: string;
  /** The signing secret to check with (set it after creating the subscription). */
  secret: string;
  requests: WebhookRequest[];
  /** Deliveries taken (answered 2xx), once each, in the order they were taken. */
  accepted: ReceivedDelivery[];
  /** How often an already taken delivery id came again (deduplicated). */
  duplicates: number;
  /** Behaviours for the next requests, in order; 200 once they run out (or `fallback`). */
  queue: ReceiverBehaviour[];
  fallback: ReceiverBehaviour;
  /** Per delivery type: behaviours for its requests (before the common queue). */
  byType: Map<string, ReceiverBehaviour[]>;
  close(): Promise<void>;
}

/** Checks `t=UNIX,v1=HEX` as a receiver would: HMAC-SHA256(secret, `${t}.${raw}`). */
export function verifySignature(header: string | undefined, secret: string, raw: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${raw}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'));
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const held = new Set<ServerResponse>();
  const receiver: WebhookReceiver = {
    url: '',
    secret: '',
    requests: [],
    accepted: [],
    duplicates: 0,
    queue: [],
    fallback: 200,
    byType: new Map(),
    close: async () => {},
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(raw) as ReceivedDelivery;
      const scripted = receiver.byType.get(body.type);
      const behaviour = scripted?.length ? scripted.shift()! : receiver.queue.length > 0 ? receiver.queue.shift()! : receiver.fallback;
      const record: WebhookRequest = {
        headers: req.headers, raw, body, answered: behaviour === 'hang' ? null : behaviour,
        signatureValid: verifySignature(req.headers['x-charla-signature'] as string | undefined, receiver.secret, raw),
      };
      receiver.requests.push(record);
      if (behaviour === 'hang') {
        held.add(res);
        return;
      }
      if (behaviour >= 200 && behaviour < 300) {
        if (receiver.accepted.some((taken) => taken.id === body.id)) receiver.duplicates += 1;
        else receiver.accepted.push(body);
      }
      res.writeHead(behaviour, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/charla`;
  receiver.close = async () => {
    for (const res of held) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}
