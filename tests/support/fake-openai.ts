/**
 * A stand-in for an OpenAI-compatible endpoint: a real HTTP server on 127.0.0.1 answering
 * `POST /v1/chat/completions` in the chat-completions format, so the real `openai` client code
 * runs in tests. It can be told to answer a given JSON content, malformed output, a 429 (with
 * Retry-After, and OpenAI's retry-after-ms), a 500, or to hang; it records every request it got.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeBehaviour =
  | { kind: 'answer'; content: (request: ChatRequest) => string }
  | { kind: 'malformed' }
  | { kind: 'rate-limited'; retryAfterSeconds?: number; retryAfterMs?: number }
  | { kind: 'server-error' }
  | { kind: 'hang' };

export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  response_format?: { type: string; json_schema?: { name: string } };
  authorization: string | undefined;
}

export interface FakeOpenAi {
  /** The base URL to give the client (`OPENAI_BASE_URL`), ending in /v1. */
  baseURL: string;
  requests: ChatRequest[];
  /** Behaviours to use for the next requests, in order; `fallback` once they run out. */
  queue: FakeBehaviour[];
  fallback: FakeBehaviour;
  /** Requests being held open by `hang`. */
  readonly hanging: number;
  close(): Promise<void>;
}

function completion(model: string, content: string) {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
  };
}

const errorBody = (message: string, type: string, code: string | null) => ({ error: { message, type, param: null, code } });

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const held = new Set<ServerResponse>();
  const fake = {
    baseURL: '',
    requests: [] as ChatRequest[],
    queue: [] as FakeBehaviour[],
    fallback: { kind: 'malformed' } as FakeBehaviour,
    get hanging() {
      return held.size;
    },
    close: async () => {},
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(errorBody('Not found', 'invalid_request_error', null)));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<ChatRequest, 'authorization'>;
      const request: ChatRequest = { ...body, authorization: req.headers.authorization };
      fake.requests.push(request);
      const behaviour = fake.queue.shift() ?? fake.fallback;
      const json = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
      switch (behaviour.kind) {
        case 'answer':
          json(200, completion(body.model, behaviour.content(request)));
          return;
        case 'malformed':
          json(200, completion(body.model, 'Sure! Here is the analysis: {"summary": "the customer wants'));
          return;
        case 'rate-limited':
          json(429, errorBody('Rate limit reached for requests', 'requests', 'rate_limit_exceeded'), {
            'retry-after': String(behaviour.retryAfterSeconds ?? 0),
            ...(behaviour.retryAfterMs !== undefined ? { 'retry-after-ms': String(behaviour.retryAfterMs) } : {}),
          });
          return;
        case 'server-error':
          json(500, errorBody('The server had an error while processing your request', 'server_error', null));
          return;
        case 'hang':
          held.add(res);
          res.on('close', () => held.delete(res));
          return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = async () => {
    for (const res of held) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return fake;
}

/**
 * A stand-in "model" for the analysis prompt: it reads the transcript it was sent and answers a
 * schema-valid analysis holding only what can be read without understanding anything — the email
 * addresses the customer wrote (with the id of their message); every other field is empty, the
 * sentiment neutral. It proves that the conversation reaches the endpoint and that the answer
 * comes back through parsing and validation; it measures nothing about a model.
 */
export function literalAnalysis(chat: ChatRequest): string {
  const transcript = chat.messages.at(-1)?.content ?? '';
  const lines = [...transcript.matchAll(/^\[([^\]]+)\] Customer: (.*)$/gm)].map(([, id, body]) => ({ id: id!, body: body! }));
  const email = lines.flatMap((line) => [...line.body.matchAll(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)].map((match) => ({ value: match[0].toLowerCase(), messageId: line.id }))).at(-1);
  return JSON.stringify({
    lead: {
      name: null, email: email ? { ...email, confidence: 0.9 } : null, phone: null, company: null, productInterest: null, budget: null, timeline: null, urgency: null,
    },
    summary: lines[0]?.body.slice(0, 300) ?? '',
    sentiment: 'neutral',
    sentimentTrend: 'steady',
    topics: [],
    nextAction: '',
    intent: 'low',
    objections: [],
    bant: { budget: null, authority: null, need: null, timing: null },
  });
}
