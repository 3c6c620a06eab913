/**
 * Test helpers: a real Charla server on an ephemeral port with a temp-file SQLite database (or a
 * fresh PostgreSQL database with `CHARLA_TEST_DATABASE=postgres`), two workspaces with an agent of
 * each role, and real socket.io clients.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ack, Agent, ChangeEvent, Workspace } from '@charla/protocol';
import { io, type Socket } from 'socket.io-client';
import { createCharlaServer, type CharlaServer, type CharlaServerOptions } from '../../server/src/app.js';
import { Database } from '../../server/src/db.js';
import type { PgDatabase } from '../../server/src/db-postgres.js';
import type { Logger } from '../../server/src/logger.js';
import { OpenAiProvider } from '../../server/src/ai/openai.js';
import { createWorkspace } from '../../server/src/services/workspaces.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.js';
import { asServerRole, createMigratedTestDatabase, testsUsePostgres } from '../support/postgres.js';

export interface Member {
  agent: Agent;
  token: string;
}

export interface TestWorkspace {
  workspace: Workspace;
  admin: Member;
  agent: Member;
  viewer: Member;
}

export interface TestServer {
  server: CharlaServer;
  url: string;
  dir: string;
  dbPath: string;
  /** Workspace "Acme" and workspace "Globex", each with an admin, an agent and a viewer. */
  acme: TestWorkspace;
  globex: TestWorkspace;
  /** Stops the server; fails when it logged an unexpected error meanwhile. */
  close(): Promise<void>;
}

let workspaceCounter = 0;

export function recordingLogger(): Logger & { errors: unknown[][] } {
  const errors: unknown[][] = [];
  return { errors, info() {}, warn() {}, error: (...args: unknown[]) => void errors.push(args) };
}

async function provision(server: CharlaServer, name: string): Promise<TestWorkspace> {
  workspaceCounter += 1;
  const slug = name.toLowerCase();
  const { workspace, agents } = await createWorkspace(server.store, {
    name,
    widgetKey: `${slug}-${workspaceCounter}`,
    greeting: `Welcome to ${name}`,
    agents: [
      { name: `${name} Admin`, email: `admin@${slug}.test`, role: 'admin' },
      { name: `${name} Agent`, email: `agent@${slug}.test`, role: 'agent' },
      { name: `${name} Viewer`, email: `viewer@${slug}.test`, role: 'viewer' },
    ],
  });
  const [admin, agent, viewer] = agents as [Member, Member, Member];
  return { workspace, admin, agent, viewer };
}

/**
 * With `CHARLA_TEST_DATABASE=postgres`, each database path stands for a fresh PostgreSQL database
 * (see tests/support/postgres.ts); the same path reopens the same database.
 */
const postgresByPath = new Map<string, Promise<string>>();

/** The key test servers on PostgreSQL seal secrets with (every process of one database shares it). */
export const TEST_SECRET_KEY = 'c0ffee'.repeat(10) + 'c0de';

/** The server options that put its data at `dbPath`: the SQLite file, or its PostgreSQL stand-in. */
export async function databaseOption(dbPath: string): Promise<{ databaseUrl?: string; databaseAdminUrl?: string; secretKey?: string }> {
  if (!testsUsePostgres()) return {};
  if (!postgresByPath.has(dbPath)) postgresByPath.set(dbPath, createMigratedTestDatabase());
  const adminUrl = await postgresByPath.get(dbPath)!;
  // The server connects as a role that owns nothing, so row-level security holds every test.
  return { databaseUrl: await asServerRole(adminUrl), databaseAdminUrl: adminUrl, secretKey: TEST_SECRET_KEY };
}

/**
 * The database at `dbPath` opened directly (the SQLite file, or its PostgreSQL stand-in), for
 * checks and arrangements no API makes (ageing a record past the clock, say). Close it after use.
 */
export async function openDatabase(dbPath: string): Promise<Database | PgDatabase> {
  const { databaseAdminUrl } = await databaseOption(dbPath);
  if (!databaseAdminUrl) return Database.open(dbPath);
  const { PgDatabase } = await import('../../server/src/db-postgres.js');
  return PgDatabase.open(databaseAdminUrl);
}

/** Starts a server with two fresh workspaces; with `dbPath` it reopens an existing database. */
export async function startServer(
  options: { dbPath?: string; dir?: string; server?: Partial<CharlaServerOptions> } = {},
): Promise<TestServer> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'charla-test-')));
  const dbPath = options.dbPath ?? join(dir, 'charla.db');
  const logger = recordingLogger();
  const server = await createCharlaServer({ dbPath, ...(await databaseOption(dbPath)), staticDir: join(dir, 'no-static'), logger, ...options.server });
  const { port } = await server.listen(0, '127.0.0.1');
  const acme = await provision(server, 'Acme');
  const globex = await provision(server, 'Globex');
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    dir,
    dbPath,
    acme,
    globex,
    async close() {
      for (const socket of openSockets) socket.disconnect();
      openSockets.clear();
      await server.close();
      if (!options.dir) await rm(dir, { recursive: true, force: true });
      if (logger.errors.length > 0) {
        throw new Error(`The server logged unexpected errors: ${logger.errors.map((e) => e.map(String).join(' ')).join('\n')}`);
      }
    },
  };
}

const openSockets = new Set<Socket>();

function connect(url: string, namespace: string, auth: Record<string, unknown>): Promise<Socket> {
  const socket = io(`${url}${namespace}`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  openSockets.add(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.disconnect();
      reject(error);
    });
  });
}

export function connectAgent(url: string, token: string): Promise<Socket> {
  return connect(url, '/agent', { token });
}

export function connectVisitor(url: string, widgetKey: string, token?: string): Promise<Socket> {
  return connect(url, '/visitor', token ? { workspace: widgetKey, token } : { workspace: widgetKey });
}

/** The handshake refusal of a connection attempt: `{ message, code }`. */
export async function connectError(url: string, namespace: string, auth: Record<string, unknown>): Promise<{ message: string; code: unknown }> {
  try {
    await connect(url, namespace, auth);
  } catch (error) {
    const refusal = error as Error & { data?: { code?: unknown } };
    return { message: refusal.message, code: refusal.data?.code };
  }
  throw new Error(`Expected ${namespace} to refuse the connection`);
}

/** Emits a request and resolves with its acknowledgement (rejects after `timeoutMs`). */
export async function emitAck<T = unknown>(socket: Socket, event: string, payload?: unknown, timeoutMs = 3000): Promise<Ack<T>> {
  const args = payload === undefined ? [] : [payload];
  return (await socket.timeout(timeoutMs).emitWithAck(event, ...args)) as Ack<T>;
}

/** The data of a successful request; fails the test with the server's error otherwise. */
export async function request<T = any>(socket: Socket, event: string, payload: unknown = {}): Promise<T> {
  const ack = await emitAck<T>(socket, event, payload);
  if (!ack.ok) throw new Error(`${event} failed: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

/** Records every change a socket receives (`events` packets), in order. */
export function recordEvents<E = ChangeEvent>(socket: Socket): E[] {
  const events: E[] = [];
  socket.on('events', (received: E[]) => events.push(...received));
  return events;
}

/** Waits until `check` (sync or async) returns something truthy, polling; fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs = 3000,
  label = 'a condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits for nothing more to happen on the wire (to assert that something was NOT received). */
export function settle(ms = 150): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A REST call; `body` objects are sent as JSON, strings verbatim. */
export async function api<T = any>(
  url: string,
  path: string,
  options: { token?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (typeof options.body === 'string') body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${url}${path}`, { method: options.method ?? 'GET', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text so the assertion shows it
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

let clientCounter = 0;
/** A fresh, valid client id for idempotent sends. */
export function clientId(): string {
  clientCounter += 1;
  return `test_${Date.now().toString(36)}_${clientCounter}`;
}

/**
 * A visitor who has written `body`: the visitor socket, and the conversation their message opened.
 */
export async function visitorWrites(
  test: TestServer,
  workspace: TestWorkspace,
  body = 'Hello, I need help with my order',
): Promise<{ visitor: Socket; token: string; contactId: string; conversationId: string }> {
  const visitor = await connectVisitor(test.url, workspace.workspace.widgetKey);
  const session = await request(visitor, 'session.get', {});
  const message = await request(visitor, 'message.send', { clientId: clientId(), body });
  return { visitor, token: session.token, contactId: session.contactId, conversationId: message.conversationId };
}

/**
 * A test server whose AI is the OpenAI provider on a fresh fake OpenAI-compatible server (model
 * `test-model`, one attempt, 2 s timeout; analyses debounced out of the way of the test).
 */
export async function startServerWithFakeOpenAi(): Promise<{ fake: FakeOpenAi; t: TestServer; close(): Promise<void> }> {
  const fake = await startFakeOpenAi();
  const provider = new OpenAiProvider({ apiKey: 'sk-test', baseURL: fake.baseURL, model: 'test-model', timeoutMs: 2000, attempts: 1 });
  const t = await startServer({ server: { ai: { provider, debounceMs: 60_000 } } });
  return {
    fake,
    t,
    async close() {
      await fake.close();
      await t.close();
    },
  };
}
