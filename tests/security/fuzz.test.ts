import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import { signatureOf } from '../../server/src/channels/signature.js';
import { WA } from '../support/channels.js';
import { connectAgent, connectVisitor, eventually } from '../server/helpers.js';
import { EVENTS, ROUTES, type RestRequest } from './access.js';
import { PLATFORM_KEY, startSecurityKit, type SecurityKit } from './kit.js';
import { seeded } from '../support/seeded.js';

// Every REST route and socket event, fed invalid input generated from a fixed seed: wrong types,
// missing and unknown fields, megabyte strings, 10,000-deep nesting, prototype keys, invalid UTF-8
// and percent-encoding. Each answer must be a JSON refusal (or an ack {ok:false,error}), never a
// server error; the process must stay responsive and its heap bounded.
const SEED = 0x0c4a71a;
const MUTATIONS_PER_REQUEST = 8;
/** Generous: a blocking parse or a catastrophic regex holds the loop for seconds, not milliseconds. */
const MAX_EVENT_LOOP_DELAY_MS = 5_000;
const MAX_HEAP_GROWTH_MB = 150;

let kit: SecurityKit;
before(async () => {
  kit = await startSecurityKit();
});
after(() => kit.close());

const random = seeded(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const DEPTH = 10_000;
const DEEP_ARRAY = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
const DEEP_OBJECT = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;
const PROTO_POLLUTION = ['{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}'];
/** Under the 1 MB body limit once quoted, so it reaches the handlers. */
const NEAR_MEGABYTE = 'x'.repeat(1_000_000 - 1_000);
const OVER_MEGABYTE = 'y'.repeat(1_100_000);

/** Values of every JSON type and some hostile strings, for any field. */
const WRONG_VALUES: readonly unknown[] = [
  null, true, false, 0, -1, 1.5, 2 ** 53 + 1, 1e308, -1e308, '', ' ', '0', 'x', '\u0000', '\ud800', '‮', '🙂'.repeat(500),
  '<img src=x onerror=alert(1)>', "' OR 1=1 --", '../../../../etc/passwd', '%ff', '$where', 'a'.repeat(70_000),
  [], [null], [[[]]], {}, { a: 1 }, { $gt: '' }, Array.from({ length: 5_000 }, (_, i) => i), JSON.parse(PROTO_POLLUTION[0] as string),
];

/** A JSON text: `value` with `key` set to a fuzz value, deleted, or (raw) deeply nested. */
function mutateObject(value: Record<string, unknown>): string {
  const keys = [...Object.keys(value), 'unexpected', '__proto__', 'constructor'];
  const key = pick(keys);
  const copy: Record<string, unknown> = { ...value };
  switch (pick(['wrong', 'wrong', 'wrong', 'delete', 'huge', 'deep'] as const)) {
    case 'delete':
      delete copy[key];
      return JSON.stringify(copy);
    case 'huge':
      return JSON.stringify({ ...copy, [key]: NEAR_MEGABYTE });
    case 'deep':
      return JSON.stringify({ ...copy, [key]: '__DEEP__' }).replace('"__DEEP__"', pick([DEEP_ARRAY, DEEP_OBJECT]));
    default:
      return JSON.stringify({ ...copy, [key]: pick(WRONG_VALUES) });
  }
}

/** Whole bodies that are no valid request at all. */
const RAW_BODIES: readonly (string | Buffer)[] = [
  'null', '[]', '"text"', '42', '{', '{"a":', DEEP_ARRAY, DEEP_OBJECT, ...PROTO_POLLUTION, `{"a":"${OVER_MEGABYTE}"}`,
  // Invalid UTF-8: a lone continuation byte, an overlong encoding, a truncated sequence.
  Buffer.from([0x7b, 0x22, 0x62, 0x6f, 0x64, 0x79, 0x22, 0x3a, 0x22, 0x80, 0xc0, 0xaf, 0xe2, 0x82, 0x22, 0x7d]),
];

const PATH_PARAMS: readonly string[] = [
  '%ff', '%', '%E0%A4%A', '%00', '..%2F..%2Fetc%2Fpasswd', '__proto__', 'constructor', 'a'.repeat(2_000), '%F0%9F%99%82', "'%20OR%201=1--",
];

const QUERY_STRINGS: readonly string[] = [
  'limit=abc', 'limit=-5', 'limit=1e400', 'since=-1', 'since=abc', 'status=open&status=all', `query=${'q'.repeat(8_000)}`, 'format=xml',
  'cursor=%ff', 'query=%ff', '__proto__=1', 'constructor[prototype][polluted]=1', 'pipelineId[]=a&pipelineId[]=b', 'from=yesterday', 'idLimit=-1',
];

interface FuzzCase {
  path: string;
  body?: string | Buffer;
  headers: Record<string, string>;
}

/** The route's request with its path parameters, query, body or headers made invalid. */
function casesOf(route: string, request: RestRequest): FuzzCase[] {
  const [method, pattern] = route.split(' ') as [string, string];
  const headers = { 'content-type': 'application/json', ...request.headers };
  const body = typeof request.body === 'string' ? request.body : request.body === undefined ? undefined : JSON.stringify(request.body);
  const [basePath] = request.path.split('?') as [string];
  const cases: FuzzCase[] = [];
  const paramCount = (pattern.match(/:\w+/g) ?? []).length;
  if (paramCount > 0) {
    // The concrete path's segments where the pattern has parameters.
    const segments = basePath.split('/');
    const params = pattern.split('/').flatMap((part, index) => (part.startsWith(':') ? [index] : []));
    for (let i = 0; i < 3; i += 1) {
      const fuzzed = [...segments];
      fuzzed[pick(params)] = pick(PATH_PARAMS);
      cases.push({ path: `${fuzzed.join('/')}${request.path.slice(basePath.length)}`, body, headers });
    }
  }
  if (method === 'GET' || method === 'DELETE') {
    for (let i = 0; i < 4; i += 1) cases.push({ path: `${basePath}?${pick(QUERY_STRINGS)}`, headers });
    return cases;
  }
  const sample = request.body !== undefined && typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {};
  for (let i = 0; i < MUTATIONS_PER_REQUEST; i += 1) cases.push({ path: request.path, body: mutateObject(sample), headers });
  for (let i = 0; i < 4; i += 1) cases.push({ path: request.path, body: pick(RAW_BODIES), headers });
  cases.push({ path: request.path, body: body ?? '{}', headers: { 'content-type': 'text/plain' } });
  cases.push({ path: request.path, body: body ?? '{}', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
  cases.push({ path: request.path, body: body ?? '{}', headers: { 'content-type': 'application/json; charset=utf-7' } });
  return cases;
}

/** Meta's deliveries, signed (else they never reach the parser) with fields of the wrong shape. */
function webhookCases(): FuzzCase[] {
  const valid = {
    object: 'whatsapp_business_account',
    entry: [{ id: WA.wabaId, changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp', metadata: { phone_number_id: WA.phoneNumberId },
      contacts: [{ profile: { name: 'Fuzz' }, wa_id: '5215512340888' }],
      messages: [{ from: '5215512340888', id: 'wamid.fuzz', timestamp: '1739321024', type: 'text', text: { body: 'hola' } }],
    } }] }],
  };
  const signed = (body: string): FuzzCase => ({
    path: '/webhooks/whatsapp', body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signatureOf(body, WA.appSecret) },
  });
  const change = valid.entry[0]!.changes[0]!;
  const envelope = (value: string) => JSON.stringify({ ...valid, entry: [{ ...valid.entry[0], changes: [{ ...change, value: '__VALUE__' }] }] }).replace('"__VALUE__"', value);
  const cases: FuzzCase[] = [];
  for (let i = 0; i < MUTATIONS_PER_REQUEST * 2; i += 1) {
    const message = { ...change.value.messages[0]!, id: `wamid.fuzz${i}` };
    // Half break a message's fields, half the fields around the messages.
    const value = i % 2
      ? JSON.stringify({ ...change.value, messages: ['__MESSAGE__'] }).replace('"__MESSAGE__"', mutateObject(message))
      : mutateObject({ ...change.value, messages: [message] });
    cases.push(signed(envelope(value)));
  }
  for (const raw of RAW_BODIES) cases.push(signed(Buffer.isBuffer(raw) ? raw.toString('latin1') : raw));
  cases.push({ path: '/webhooks/whatsapp', body: JSON.stringify(valid), headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=%ff' } });
  return cases;
}

interface Tally {
  requests: number;
  events: number;
  serverErrors: number;
  problems: string[];
}

async function fire(tally: Tally, method: string, fuzz: FuzzCase, token: string | null): Promise<void> {
  tally.requests += 1;
  const headers = { ...fuzz.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const what = `${method} ${fuzz.path.slice(0, 120)} ${fuzz.body === undefined ? '' : String(fuzz.body).slice(0, 80)}`;
  let response: Response;
  try {
    response = await fetch(`${kit.url}${fuzz.path}`, { method, headers, body: typeof fuzz.body === 'string' || fuzz.body === undefined ? fuzz.body : new Uint8Array(fuzz.body), signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    tally.problems.push(`${what}: no answer (${String(error)})`);
    return;
  }
  const text = await response.text();
  if (response.status >= 500) {
    tally.serverErrors += 1;
    tally.problems.push(`${what}: ${response.status} ${text.slice(0, 200)}`);
    return;
  }
  if (response.status < 400) return;
  let body: { error?: { code?: unknown; message?: unknown } } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    // checked below
  }
  if (!response.headers.get('content-type')?.includes('application/json') || typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string') {
    tally.problems.push(`${what}: ${response.status} is not a JSON error: ${text.slice(0, 200)}`);
  }
}

/**
 * Sends socket.io packets written by hand on the client's own connection (the client would never
 * encode these), and reads the acknowledgements off the wire.
 */
function rawEmitter(socket: Socket, namespace: string) {
  let nextId = 1_000_000;
  const engine = socket.io.engine;
  return (event: string, payloadJson: string | undefined): Promise<unknown> => {
    nextId += 1;
    const id = nextId;
    // engine.write adds engine.io's message type (4): these are socket.io's EVENT (2) and ACK (3).
    const prefix = `3${namespace},${id}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish('no acknowledgement'), 10_000);
      const onPacket = (packet: { type: string; data?: unknown }) => {
        if (packet.type === 'message' && typeof packet.data === 'string' && packet.data.startsWith(prefix)) {
          finish((JSON.parse(packet.data.slice(prefix.length)) as unknown[])[0]);
        }
      };
      const onClose = () => finish('connection closed');
      function finish(result: unknown) {
        clearTimeout(timer);
        engine.off('packet', onPacket);
        engine.off('close', onClose);
        resolve(result);
      }
      engine.on('packet', onPacket);
      engine.on('close', onClose);
      engine.write(`2${namespace},${id}[${JSON.stringify(event)}${payloadJson === undefined ? '' : `,${payloadJson}`}]`);
    });
  };
}

/** Payloads for one event: not objects, mutations of its valid payload, deep and prototype-laden ones. */
function payloadsOf(sample: Record<string, unknown>): Array<string | undefined> {
  const payloads: Array<string | undefined> = [undefined, 'null', '0', '"text"', '[]', 'true', DEEP_ARRAY, DEEP_OBJECT, ...PROTO_POLLUTION];
  for (let i = 0; i < MUTATIONS_PER_REQUEST; i += 1) payloads.push(mutateObject(sample).replace(NEAR_MEGABYTE, 'z'.repeat(500_000)));
  return payloads;
}

async function fuzzEvents(tally: Tally, socket: Socket, namespace: '/agent' | '/visitor'): Promise<void> {
  const emit = rawEmitter(socket, namespace);
  for (const [key, rule] of Object.entries(EVENTS)) {
    const [ns, event] = key.split(' ') as [string, string];
    if (ns !== namespace) continue;
    const sample = (await rule.payload(kit)) as Record<string, unknown>;
    for (const payload of payloadsOf(sample)) {
      tally.events += 1;
      const ack = (await emit(event, payload)) as { ok?: unknown; error?: { code?: unknown; message?: unknown } } | string;
      const what = `${namespace} ${event} ${String(payload).slice(0, 80)}`;
          if (typeof ack === 'string') tally.problems.push(`${what}: ${ack}`);
      else if (ack.ok === false && ack.error?.code === 'internal') {
        tally.serverErrors += 1;
        tally.problems.push(`${what}: ${JSON.stringify(ack).slice(0, 200)}`);
      } else if (ack.ok !== true && (typeof ack.error?.code !== 'string' || typeof ack.error.message !== 'string')) {
        tally.problems.push(`${what}: not an acknowledgement: ${JSON.stringify(ack).slice(0, 200)}`);
      }
    }
  }
}

/** The heap after a full collection, in MB. */
function settledHeapMb(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

test('every route and socket event refuses invalid input with a JSON 4xx; the server stays up, responsive and bounded', async () => {
  const tally: Tally = { requests: 0, events: 0, serverErrors: 0, problems: [] };
  const heapBefore = settledHeapMb();
  const loop = monitorEventLoopDelay({ resolution: 20 });
  loop.enable();

  for (const [route, rule] of Object.entries(ROUTES)) {
    const method = route.split(' ')[0] as string;
    if (rule.access === 'meta' || rule.access === 'inbox') continue;
    const token = rule.access === 'public' ? null : rule.access === 'platform' ? PLATFORM_KEY : kit.test.acme.admin.token;
    for (const fuzz of casesOf(route, await rule.request(kit, 'acme'))) await fire(tally, method, fuzz, token);
  }
  for (const fuzz of webhookCases()) await fire(tally, 'POST', fuzz, null);
  for (const authorization of [`Bearer ${'a'.repeat(10_000)}`, 'Bearer %ff', 'Basic YWRtaW46YWRtaW4=', 'Bearer', `Bearer ${'\u00ff'.repeat(20)}`]) {
    await fire(tally, 'GET', { path: '/api/v1/contacts', headers: { authorization } }, null);
  }

  const agent = await connectAgent(kit.url, kit.test.acme.admin.token);
  await fuzzEvents(tally, agent, '/agent');
  const visitor = await connectVisitor(kit.url, kit.test.acme.workspace.widgetKey, kit.acme.visitorToken);
  await fuzzEvents(tally, visitor, '/visitor');

  // Frames past the 1 MB buffer limit and binary garbage close that connection, nothing more.
  for (const write of [(s: Socket) => s.io.engine.write(`42/agent,["sync",{"since":"${OVER_MEGABYTE}"}]`), (s: Socket) => s.io.engine.write(Buffer.from([0xff, 0x00, 0xfe]))]) {
    const socket = await connectAgent(kit.url, kit.test.acme.admin.token);
    write(socket);
    tally.events += 1;
    await eventually(() => socket.disconnected, 5_000, 'the oversized or garbled connection to close');
  }

  loop.disable();
  const maxDelayMs = loop.max / 1e6;
  const heapGrowthMb = settledHeapMb() - heapBefore;
  console.log(`fuzz: ${tally.requests} requests, ${tally.events} events, ${tally.serverErrors} server errors (seed ${SEED}; event loop max delay ${maxDelayMs.toFixed(0)} ms, heap ${heapGrowthMb >= 0 ? '+' : ''}${heapGrowthMb.toFixed(1)} MB)`);

  assert.deepEqual(tally.problems, []);
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is not polluted');
  const health = await fetch(`${kit.url}/healthz`);
  assert.deepEqual(await health.json(), { ok: true });
  const stillServing = await connectAgent(kit.url, kit.test.acme.viewer.token);
  assert.ok(stillServing.connected, 'stillServing.connected');
  assert.ok(maxDelayMs < MAX_EVENT_LOOP_DELAY_MS, `the event loop stalled for ${maxDelayMs} ms`);
  assert.ok(heapGrowthMb < MAX_HEAP_GROWTH_MB, `the heap grew by ${heapGrowthMb} MB`);
});
