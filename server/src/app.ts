import { createPlatformRouter } from './http/platform-api.js';
import { createAgentsRouter } from './http/agents-api.js';
import { createMetricsRouter } from './http/metrics-api.js';
import type { PlatformHooks } from './services/platform.js';
import { allowedOriginsFrom, apiCors, limitAgentOrigins } from './http/origins.js';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { registerDemoPayments, startDemoPayments } from './demo-payments.js';
import { Server } from 'socket.io';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AiService, createAiRouter, providerFromEnv, registerAiHandlers, type AiServiceOptions } from './ai/index.js';
import { Channels } from './channels/index.js';
import { DEFAULT_GRAPH_URL } from './channels/graph.js';
import { emailMaxBytesFrom, smtpTlsCaFrom } from './channels/email/index.js';
import { mediaPolicyFrom, type MediaPolicy } from './channels/media-fetch.js';
import { createPrivacyRouter, registerDataExportJob } from './privacy/api.js';
import type { PrivacyFiles } from './privacy/erase.js';
import { startRetention } from './privacy/retention.js';
import { applyDemoChannels, registerDemoChannels } from './channels/demo.js';
import { registerDemoMail, startDemoMail } from './channels/demo-mail.js';
import { createIdentityRouter } from './identity/api.js';
import { createDirectoryRouter } from './http/directory-api.js';
import { createBroadcastRouter } from './http/broadcasts-api.js';
import { BroadcastService } from './services/broadcasts.js';
import { watchSegments } from './services/segment-watch.js';
import { mergeContactsSharingKeys } from './identity/claim.js';
import { JobQueue } from './jobs/queue.js';
import { createBroadcaster, ownAgentRoom } from './events.js';
import { apiErrorHandler, apiNotFound } from './http/errors.js';
import { createApiRouter } from './http/api.js';
import { loopbackOnly } from './http/demo-access.js';
import { apiRateLimits } from './http/rate-limit.js';
import { idempotentPosts } from './http/idempotency.js';
import { createCsatRouter } from './http/csat-api.js';
import { trustedHopsFrom } from './http/client-address.js';
import { securityHeaders } from './http/security-headers.js';
import { limitsFrom, RateLimits, type Limits } from './limits.js';
import { limitAgentHandshakes, limitVisitors } from './socket/rate-limit.js';
import { serveStatic } from './http/static.js';
import { InFlight } from './in-flight.js';
import { consoleLogger, type Logger } from './logger.js';
import { prepareDemo, DEMO_WIDGET_KEY } from './seed.js';
import { registerAgentNamespace } from './socket/agent.js';
import { registerVisitorNamespace } from './socket/visitor.js';
import { VISITOR_SESSION_TTL_MS } from './services/sessions.js';
import { announceBusinessHours, availableAgentIds, presenceOf, registerLiveSignals, usePresenceInRedis } from './socket/live.js';
import { registerDemoIdentity } from './http/demo-identity.js';
import { registerDemoAgentToken } from './http/demo-agent-token.js';
import { registerWidgetAvailability } from './http/widget-api.js';
import { startAutomation } from './services/automation.js';
import { startRouting } from './routing/routing.js';
import { clusterLeadership } from './jobs/periodic.js';
import { Store } from './store/index.js';
import { SECRET_KEY_NEEDED, SecretBox, SecretKeyError } from './secrets.js';
import { createWebhooksRouter, DEFAULT_WEBHOOK_OPTIONS, Webhooks, webhooksAllowPrivateFrom, type WebhookOptions } from './webhooks/index.js';
import { useRedis, type PresenceRegistry, type RedisConnection, type RedisLink } from './redis.js';

export interface CharlaServerOptions {
  /** SQLite database file (created with its schema when missing); media go beside it. */
  dbPath: string;
  /**
   * A PostgreSQL database (postgres://user:password@host:port/database) to store everything in
   * instead of the SQLite file; its schema is created or brought up to date on start.
   */
  databaseUrl?: string;
  /**
   * The PostgreSQL URL of the role that owns the tables (`CHARLA_DATABASE_ADMIN_URL`): migrations
   * and row-level security are set up with it, while the server itself connects with
   * `databaseUrl`, a role that does not own the tables and is held by row-level security.
   */
  databaseAdminUrl?: string;
  /**
   * Redis (redis://…) shared by several server processes: socket broadcasts and agent presence
   * reach every process, and sockets speak WebSocket only (no sticky sessions needed).
   */
  redisUrl?: string;
  /**
   * How many proxies in front of the server to trust for the client's address (per-address
   * limits); `CHARLA_TRUST_PROXY` otherwise, 0 by default (the connection's own address).
   */
  trustProxy?: number;
  /** Built front end (`widget/`, `demo/`); defaults to the repository's `dist`. */
  staticDir?: string;
  /** Seed the demo workspace on first run and publish the demo admin token at /demo/config.json. */
  demo?: boolean;
  /**
   * Demo mode: let clients on other machines read the demo routes too (the admin token, the app
   * secrets). Off by default: they answer loopback clients only.
   */
  demoPublic?: boolean;
  /** Rate and size limits (see limits.ts); `CHARLA_LIMIT_*` and then the defaults otherwise. */
  limits?: Partial<Limits>;
  /**
   * Origins (`https://admin.example.com`) whose pages may use the agent API and sockets besides
   * the server's own; `CHARLA_ALLOWED_ORIGINS` otherwise (none by default).
   */
  allowedOrigins?: string[];
  /**
   * The key (or keys, comma-separated, the first sealing) that seals channel and workspace
   * secrets in the database; `CHARLA_SECRET_KEY` otherwise. Required with `databaseUrl`; without
   * one, the SQLite store keeps its key in the file `DBPATH.key` beside the database.
   */
  secretKey?: string;
  /** The key of the platform API (`/platform/v1`) for the host's backend; `CHARLA_PLATFORM_KEY` otherwise; off without one. */
  platformKey?: string;
  /** The demo admin token; a fresh random one when absent. */
  adminToken?: string;
  logger?: Logger;
  /** Meta's Graph API host (`CHARLA_GRAPH_URL`); tests point it at a local fake. */
  graphUrl?: string;
  /** The largest email accepted by the inbound webhook and IMAP, in bytes; `CHARLA_EMAIL_MAX_BYTES` otherwise (25 MB). */
  emailMaxBytes?: number;
  /** Certificate authorities (PEM) trusted for SMTP besides the system's (default: the file `CHARLA_SMTP_TLS_CA` names). */
  smtpTlsCa?: string;
  /** First reconnection delay of IMAP readers (default 1 s); tests shorten it. */
  imapBackoffMs?: number;
  /** Where channel media is downloaded to; defaults to `media/` beside the database. */
  mediaDir?: string;
  /** Where finished data exports wait to be downloaded; defaults to `exports/` beside the database. */
  exportsDir?: string;
  /** Contacts with more messages than this are exported by a background job (default 5000). */
  dataExportInlineMessages?: number;
  /**
   * Where channel media may be downloaded from (Meta's CDN hosts over https by default; tests
   * allow their loopback fakes), its size and time limits; `CHARLA_MEDIA_*` otherwise.
   */
  media?: Partial<MediaPolicy>;
  /** First retry delay of background jobs (default 2 s); tests shorten it. */
  jobBackoffMs?: number;
  /** How long a claimed job stays its worker's before another process may take it (default 2 minutes); tests that kill a server shorten it. */
  jobLeaseMs?: number;
  /** Broadcast changes reach admins at most this often per broadcast (default 250 ms). */
  broadcastNotifyMs?: number;
  /**
   * How often the routing sweep (waiting conversations, snoozes, auto-resolve, SLA breaches) runs
   * (default 30 s); tests shorten it. With several processes on PostgreSQL, one of them runs it.
   */
  sweepEveryMs?: number;
  /** How often connected visitors hear that business hours turned (default 30 s); tests shorten it. */
  hoursCheckMs?: number;
  /**
   * How long a webchat session that proved a site user (identify with a valid hash) lasts without
   * use (default `CHARLA_VISITOR_SESSION_HOURS`, else 24 h); then the visitor is anonymous until
   * identified again.
   */
  visitorSessionTtlMs?: number;
  /**
   * Outbound webhooks: whether loopback and private addresses may receive them
   * (`CHARLA_WEBHOOKS_ALLOW_PRIVATE=true` otherwise), the receiver's timeout, retries and pause;
   * tests shorten the times.
   */
  webhooks?: Partial<Omit<WebhookOptions, 'logger'>>;
  /** AI enrichment: the provider (default from `OPENAI_API_KEY`…, else the offline heuristics), debounce, retries. */
  ai?: Partial<AiServiceOptions>;
  /** What time it is for the directory's segments (tests move it forward); the system clock by default. */
  clock?: () => Date;
  /** How long after a change segments are counted again for `segment.changed` (default 10 s, at most once per workspace in that time); tests shorten it. */
  segmentRecountMs?: number;
}

export interface CharlaServer {
  app: Express;
  httpServer: HttpServer;
  io: Server;
  store: Store;
  /** The durable background job queue (channel sends, webhook processing…). */
  jobs: JobQueue;
  /** Outbound webhooks (their own job workers). */
  webhooks: Webhooks;
  /** AI enrichment and reply suggestions (its own job worker). */
  ai: AiService;
  /** The demo admin's token in demo mode, otherwise null. */
  adminToken: string | null;
  listen(port: number, host?: string): Promise<{ port: number }>;
  /** Stops accepting, disconnects sockets, waits for work in flight, then closes the database. */
  close(): Promise<void>;
}

/** How long a readiness check waits for the store or Redis. */
const READINESS_TIMEOUT_MS = 2_000;

/** Each dependency's state: `ok`, or why it failed (no addresses or credentials). */
async function readiness(store: Store, redis: RedisConnection | null): Promise<Record<string, string>> {
  const check = async (probe: () => Promise<unknown>): Promise<string> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([probe(), new Promise((_resolve, reject) => (timer = setTimeout(() => reject(new Error('timeout')), READINESS_TIMEOUT_MS)))]);
      return 'ok';
    } catch (error) {
      return (error as Error).message === 'timeout' ? 'no answer' : 'unreachable';
    } finally {
      clearTimeout(timer);
    }
  };
  const [storeCheck, redisCheck] = await Promise.all([check(() => store.ping()), redis ? check(() => redis.ping()) : null]);
  return { store: storeCheck, ...(redisCheck === null ? {} : { redis: redisCheck }) };
}

/** `CHARLA_VISITOR_SESSION_HOURS` (a positive number), else the default lifetime. */
function visitorSessionTtlFromEnv(): number {
  const hours = Number(process.env.CHARLA_VISITOR_SESSION_HOURS);
  return Number.isFinite(hours) && hours > 0 ? hours * 60 * 60 * 1000 : VISITOR_SESSION_TTL_MS;
}

/**
 * The built front end: `public/` beside the published package's `dist/`, else (running from this
 * repository's sources) the repository's `dist/`.
 */
const DEFAULT_STATIC_DIR = [new URL('../public', import.meta.url), new URL('../../dist', import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((dir) => existsSync(join(dir, 'widget'))) ?? fileURLToPath(new URL('../../dist', import.meta.url));

export async function createCharlaServer(options: CharlaServerOptions): Promise<CharlaServer> {
  const logger = options.logger ?? consoleLogger;
  const limits = new RateLimits(limitsFrom(options.limits, process.env));
  const allowedOrigins = allowedOriginsFrom(options.allowedOrigins, process.env);
  const secretKey = options.secretKey ?? (process.env.CHARLA_SECRET_KEY || undefined);
  const secrets = secretKey === undefined ? undefined : SecretBox.fromKeys(secretKey);
  if (options.databaseUrl && !secrets) throw new SecretKeyError(SECRET_KEY_NEEDED);
  const store = options.databaseUrl
    ? await Store.connect(options.databaseUrl, secrets, { adminUrl: options.databaseAdminUrl ?? (process.env.CHARLA_DATABASE_ADMIN_URL || undefined) })
    : await Store.open(options.dbPath, secrets);
  if (store.rowSecurity === 'bypassed') {
    logger.warn('The PostgreSQL role the server connects as is a superuser or has BYPASSRLS: row-level security does not hold it (connect as a role that does not own the tables, see "Running in production")');
  }
  const sealed = await store.sealSecrets();
  if (sealed > 0) logger.info(`Sealed the secrets of ${sealed} channel settings and workspaces under the current key`);
  const merged = await mergeContactsSharingKeys(store);
  if (merged > 0) logger.info(`Merged ${merged} contacts that shared a phone or an email with an older one`);
  const adminToken = options.demo ? await prepareDemo(store, options.adminToken) : null;
  const work = new InFlight();
  const context = { logger, work };

  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  // Webhook deliveries take a path of their own before the app (see `Channels.intake`).
  let intake: ((req: IncomingMessage, res: ServerResponse) => boolean) | null = null;
  const httpServer = createServer((req, res) => {
    if (!intake?.(req, res)) app(req, res);
  });
  // The widget runs on other sites; credentials are tokens in the handshake, never cookies.
  // With several processes (Redis) only WebSocket: long-polling would need sticky sessions.
  const io = new Server(httpServer, { cors: { origin: true }, serveClient: false, ...(options.redisUrl ? { transports: ['websocket'] as const } : {}) });
  let redis: (RedisLink & { presence: PresenceRegistry }) | null = null;
  if (options.redisUrl) {
    try {
      const link = await useRedis(io, options.redisUrl, logger);
      redis = { ...link, close: link.close, presence: usePresenceInRedis(io, store, context, link.client) };
      limits.shareThrough(link.client);
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  store.onCommit(createBroadcaster(io, logger));
  const segments = watchSegments(store, io, {
    clock: options.clock ?? (() => new Date()), logger, ...(options.segmentRecountMs !== undefined ? { everyMs: options.segmentRecountMs } : {}),
  });
  const leadership = clusterLeadership(store, logger);
  // The AI drafts the message each new "Reactivate" task carries (`ai` is made below, before any sweep runs).
  const automation = startAutomation(store, logger, leadership, (task, deal, now) => ai.draftFollowUp(task, deal, now));
  const routing = startRouting(store, (workspaceId) => availableAgentIds(io, store, workspaceId), logger, {
    leadership,
    ...(options.sweepEveryMs !== undefined ? { everyMs: options.sweepEveryMs } : {}),
  });
  const jobs = new JobQueue(store, {
    logger,
    ...(options.jobBackoffMs !== undefined ? { baseDelayMs: options.jobBackoffMs } : {}),
    ...(options.jobLeaseMs !== undefined ? { leaseMs: options.jobLeaseMs } : {}),
  });
  const graphUrl = options.graphUrl ?? process.env.CHARLA_GRAPH_URL;
  // The demo without a Graph API host answers its own channel sends (see channels/demo.ts).
  const demoGraph = Boolean(options.demo) && !graphUrl;
  const privacyFiles: PrivacyFiles = {
    mediaDir: options.mediaDir ?? join(options.dbPath, '..', 'media'),
    exportsDir: options.exportsDir ?? join(options.dbPath, '..', 'exports'),
  };
  registerDataExportJob(jobs, store, privacyFiles);
  const channels = new Channels(store, jobs, {
    graphUrl: graphUrl ?? DEFAULT_GRAPH_URL,
    mediaDir: privacyFiles.mediaDir,
    media: mediaPolicyFrom(options.media, process.env),
    emailMaxBytes: emailMaxBytesFrom(options.emailMaxBytes, process.env),
    smtpTlsCa: options.smtpTlsCa ?? smtpTlsCaFrom(process.env),
    ...(options.imapBackoffMs !== undefined ? { imapBackoffMs: options.imapBackoffMs } : {}),
    logger,
  });
  const broadcasts = new BroadcastService(store, jobs, channels.graph, io, {
    logger, ...(options.broadcastNotifyMs !== undefined ? { notifyMs: options.broadcastNotifyMs } : {}),
  });
  if (options.demo) await applyDemoChannels(store, process.env, logger);
  const demoMail = options.demo ? await startDemoMail(store, process.env, channels.email, logger) : null;
  const demoPayments = options.demo ? await startDemoPayments(Number(process.env.CHARLA_DEMO_PAYMENTS_PORT) || 0) : null;
  limitAgentOrigins(io, allowedOrigins);
  const trustedHops = options.trustProxy ?? trustedHopsFrom(process.env);
  limitAgentHandshakes(io, limits, trustedHops);
  limitVisitors(io, store, limits, trustedHops);
  registerAgentNamespace(io, store, context);
  registerVisitorNamespace(io, store, context, options.visitorSessionTtlMs ?? visitorSessionTtlFromEnv());
  registerLiveSignals(io, store, context, (workspaceId) => routing.poke(workspaceId));
  const stopHours = announceBusinessHours(io, store, context, options.hoursCheckMs);
  const ai = new AiService(store, { provider: options.ai?.provider ?? providerFromEnv(), ...options.ai, logger });
  registerAiHandlers(io, ai, context);
  const webhooks = new Webhooks(store, {
    ...DEFAULT_WEBHOOK_OPTIONS,
    allowPrivate: webhooksAllowPrivateFrom(process.env),
    ...options.webhooks,
    logger,
  });

  app.use((_req, res, next) => {
    work.track(new Promise((resolve) => res.on('close', resolve)));
    next();
  });
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await readiness(store, redis?.client ?? null);
    const failed = Object.entries(checks).filter(([, check]) => check !== 'ok').map(([name]) => name);
    res.set('Cache-Control', 'no-store');
    if (failed.length === 0) res.json({ ready: true, checks });
    else res.status(503).json({ ready: false, checks, error: { code: 'not_ready', message: `Not ready: ${failed.join(' and ')} failing` } });
  });
  app.use('/webhooks', channels.webhooks());
  intake = (req, res) => {
    if (!channels.intake(req, res)) return false;
    work.track(new Promise((resolve) => res.on('close', resolve)));
    return true;
  };
  const agentHooks: PlatformHooks = {
    // Its connections in every server process.
    agentDeactivated: (agent) => io.of('/agent').in(ownAgentRoom(agent.id)).disconnectSockets(true),
    rerouted: (workspaceId) => routing.poke(workspaceId),
  };
  app.use('/platform/v1', createPlatformRouter(store, options.platformKey ?? (process.env.CHARLA_PLATFORM_KEY || undefined), agentHooks));
  app.use('/platform', apiNotFound, apiErrorHandler(logger));
  app.use('/api', apiCors(allowedOrigins), apiRateLimits(limits, trustedHops));
  app.use('/api/v1', idempotentPosts(store, limits.limits.importBytes));
  app.use('/api/v1', channels.api(), createIdentityRouter(store, limits.limits));
  app.use('/api/v1', createDirectoryRouter(store, options.clock ?? (() => new Date())));
  app.use('/api/v1', createBroadcastRouter(store, options.clock ?? (() => new Date())));
  app.use('/api/v1', createPrivacyRouter(store, privacyFiles, { ...(options.dataExportInlineMessages !== undefined ? { inlineMessages: options.dataExportInlineMessages } : {}) }));
  app.use('/api/v1', createAiRouter(store, ai));
  app.use('/api/v1', createWebhooksRouter(store, webhooks));
  app.use('/api/v1', createCsatRouter(store));
  app.use('/api/v1', createAgentsRouter(store, agentHooks));
  registerWidgetAvailability(app, store, io);
  app.use('/api/v1', createMetricsRouter(store, (workspaceId) => presenceOf(io, store, workspaceId)));
  app.use('/api/v1', createApiRouter(store, logger));
  app.use('/api', apiNotFound, apiErrorHandler(logger));
  if (adminToken !== null) {
    if (!options.demoPublic) app.use('/demo', loopbackOnly);
    app.get('/demo/config.json', (_req, res) => {
      res.json({ token: adminToken, widgetKey: DEMO_WIDGET_KEY, paymentsUrl: demoPayments?.url ?? null });
    });
    if (demoPayments) registerDemoPayments(app, demoPayments);
    registerDemoChannels(app, store, demoGraph ? channels.graph : null);
    registerDemoMail(app, demoMail);
    registerDemoIdentity(app, store, DEMO_WIDGET_KEY);
    registerDemoAgentToken(app, store, DEMO_WIDGET_KEY);
  }
  serveStatic(app, options.staticDir ?? DEFAULT_STATIC_DIR);
  // Whatever nothing above answered or handled (webhooks, pages) ends as JSON too.
  app.use(apiNotFound, apiErrorHandler(logger));

  jobs.start();
  ai.start();
  webhooks.start();
  const stopRetention = startRetention(store, privacyFiles, logger, leadership);
  await channels.email.imap.follow(() => leadership.leads());
  let closing: Promise<void> | undefined;
  return {
    app,
    httpServer,
    io,
    store,
    jobs,
    ai,
    webhooks,
    adminToken,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          const { port: actual } = httpServer.address() as AddressInfo;
          if (demoGraph) channels.graph.baseUrl = `http://127.0.0.1:${actual}/demo/graph`;
          resolve({ port: actual });
        });
      });
    },
    close() {
      closing ??= (async () => {
        const stopped = io.close();
        stopHours();
        await work.drain();
        httpServer.closeAllConnections();
        await stopped;
        await stopRetention();
        await channels.email.close();
        await demoMail?.close();
        await demoPayments?.close();
        await jobs.stop();
        broadcasts.stop();
        await ai.stop();
        await webhooks.stop();
        await automation.stop();
        await routing.stop();
        segments.stop();
        if (redis) {
          await redis.presence.close();
          await redis.close();
        }
        await store.close();
      })();
      return closing;
    },
  };
}
