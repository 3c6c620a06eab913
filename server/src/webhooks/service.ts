/**
 * Outbound webhooks: subscriptions (admins), and their deliveries.
 *
 * Every transaction that appends change-log entries turns them into webhook events
 * (events.ts) and, in that same transaction, stores one delivery per matching active
 * subscription and a durable job to send it: a delivery exists exactly when its change does, and
 * survives restarts. A delivery is a JSON POST `{id, type, createdAt, workspaceId, data}` with
 * `X-Charla-Signature: t=UNIX,v1=HEX`, HEX = HMAC-SHA256(secret, `${t}.${raw body}`), and
 * `X-Charla-Delivery: id` (the receiver deduplicates on it: a delivery whose answer was lost is
 * sent again with the same id). A timeout, a refused connection, 429 or 5xx is retried with
 * backoff for 24 hours (`Retry-After` honoured); any other answer ends the delivery. Deliveries of
 * one lane (a conversation, else the entity) go out in order: one waits while an earlier one of
 * its lane is pending. A subscription whose deliveries have all failed for 24 hours is paused, its
 * waiting deliveries kept, and the admins notified; resuming it sends them, in order.
 */
import {
  WEBHOOK_URL_MAX, type Agent, type Webhook, type WebhookDelivery, type WebhookEventType, type WebhookWithSecret,
  type webhookCreateSchema, type webhookDeliveryListSchema, type webhookUpdateSchema,
} from '@charla/protocol';
import { createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { z } from 'zod';
import { publicOnlyLookup } from '../channels/media-fetch.js';
import { isTransactionConflict } from '../dialect.js';
import { CharlaFailure, notFound } from '../failure.js';
import { newId, nowIso } from '../ids.js';
import { backoffDelay, enqueueJob, JobQueue, PermanentFailure, Postpone, RetryLater } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import { assertRole } from '../services/actors.js';
import { notifyWebhookPaused } from '../services/notifications.js';
import { toPublicDelivery, type Job, type Store, type StoreScope, type StoredDelivery, type StoredWebhook } from '../store/index.js';
import { subscribes, webhookEventsOf } from './events.js';
import { checkWebhookTarget } from './target.js';

export const WEBHOOK_JOB = 'webhook.deliver';
const MAX_WEBHOOKS_PER_WORKSPACE = 20;
const HOUR = 3600_000;

export interface WebhookOptions {
  /** Loopback and private addresses may receive webhooks (`CHARLA_WEBHOOKS_ALLOW_PRIVATE=true`). */
  allowPrivate: boolean;
  /** How long a receiver has to answer (default 10 s). */
  timeoutMs: number;
  /** The first retry waits about this long, each next one twice as long (default 30 s)… */
  retryBaseMs: number;
  /** …up to this (default 1 h). */
  retryMaxMs: number;
  /** A delivery is retried this long after it was created (default 24 h). */
  retryForMs: number;
  /** A subscription failing this long is paused (default 24 h). */
  pauseAfterMs: number;
  /** Parallel senders in this process (default 2). */
  workers: number;
  /** Delivered and failed deliveries (they hold customers' data) are kept this long (default 30 days). */
  keepDeliveriesMs: number;
  logger: Logger;
}

export const DEFAULT_WEBHOOK_OPTIONS: Omit<WebhookOptions, 'logger' | 'allowPrivate'> = {
  timeoutMs: 10_000,
  retryBaseMs: 30_000,
  retryMaxMs: HOUR,
  retryForMs: 24 * HOUR,
  pauseAfterMs: 24 * HOUR,
  workers: 2,
  keepDeliveriesMs: 30 * 24 * HOUR,
};

type WebhookCreate = z.output<typeof webhookCreateSchema>;
type WebhookUpdate = z.output<typeof webhookUpdateSchema>;
type DeliveryList = z.output<typeof webhookDeliveryListSchema>;

const publicWebhook = ({ secret: _secret, ...webhook }: StoredWebhook): Webhook => webhook;
const withSecret = (webhook: StoredWebhook): WebhookWithSecret => ({ ...publicWebhook(webhook), secret: webhook.secret });
const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** `t=UNIX,v1=HEX`: HEX = HMAC-SHA256(secret, `${t}.${body}`). */
export function webhookSignature(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`;
}

/** Patterns as given, without repeats, in a stable order. */
const normalEvents = (events: readonly string[]) => [...new Set(events)].sort();

export class Webhooks {
  readonly #store: Store;
  readonly #options: WebhookOptions;
  readonly #queues: JobQueue[];
  #unlisten: (() => void) | null = null;
  #pruner: NodeJS.Timeout | null = null;
  #pruning: Promise<void> = Promise.resolve();

  constructor(store: Store, options: WebhookOptions) {
    this.#store = store;
    this.#options = options;
    this.#queues = Array.from({ length: Math.max(1, options.workers) }, () => {
      const queue = new JobQueue(store, { logger: options.logger, baseDelayMs: options.retryBaseMs, maxDelayMs: options.retryMaxMs });
      // Give-up is decided by the delivery's age, not by a count of attempts.
      queue.register(WEBHOOK_JOB, { maxAttempts: 100_000, handle: (job) => this.#deliver(job) });
      return queue;
    });
  }

  start(): void {
    this.#unlisten = this.#store.beforeCommit(async (scope, staged) => {
      try {
        await this.#stageDeliveries(scope, staged);
      } catch (error) {
        if (isTransactionConflict(error)) throw error;
        this.#options.logger.error('Could not store webhook deliveries', error);
      }
    });
    for (const queue of this.#queues) queue.start();
    const prune = () => {
      this.#pruning = this.prune().then(
        () => undefined,
        (error: unknown) => this.#options.logger.error('Could not prune webhook deliveries', error),
      );
    };
    prune();
    this.#pruner = setInterval(prune, HOUR);
    this.#pruner.unref();
  }

  /** Forgets finished deliveries older than `keepDeliveriesMs`; runs hourly. */
  prune(now = Date.now()): Promise<number> {
    return this.#store.webhooks.pruneDeliveries(new Date(now - this.#options.keepDeliveriesMs).toISOString());
  }

  async stop(): Promise<void> {
    if (this.#pruner) clearInterval(this.#pruner);
    this.#unlisten?.();
    await this.#pruning;
    await Promise.all(this.#queues.map((queue) => queue.stop()));
  }

  // ── Subscriptions (admins) ─────────────────────────────────────────────────────────────────

  async list(admin: Agent): Promise<{ webhooks: Webhook[] }> {
    assertRole(admin, 'admin');
    return { webhooks: (await this.#store.webhooks.list(admin.workspaceId)).map(publicWebhook) };
  }

  async get(admin: Agent, id: string): Promise<Webhook> {
    assertRole(admin, 'admin');
    return publicWebhook(await this.#require(this.#store, admin.workspaceId, id));
  }

  async create(admin: Agent, input: WebhookCreate): Promise<{ webhook: WebhookWithSecret }> {
    assertRole(admin, 'admin');
    await checkWebhookTarget(input.url, this.#options.allowPrivate);
    return this.#store.transaction(async (scope) => {
      if ((await scope.webhooks.count(admin.workspaceId)) >= MAX_WEBHOOKS_PER_WORKSPACE) {
        throw new CharlaFailure('conflict', `A workspace has at most ${MAX_WEBHOOKS_PER_WORKSPACE} webhooks; delete one first`);
      }
      const now = nowIso();
      const webhook: StoredWebhook = {
        id: newId('wh'), workspaceId: admin.workspaceId, url: input.url, events: normalEvents(input.events), description: input.description ?? null,
        status: 'active', failingSince: null, pausedAt: null, createdAt: now, updatedAt: now, secret: newSecret(),
      };
      await scope.webhooks.insert(webhook, admin.id);
      await this.#audit(scope, admin, 'webhook.create', webhook);
      return { webhook: withSecret(webhook) };
    });
  }

  /** Changes a subscription; `status: 'active'` resumes a paused one and sends what it kept, in order. */
  async update(admin: Agent, id: string, patch: WebhookUpdate): Promise<{ webhook: Webhook | WebhookWithSecret }> {
    assertRole(admin, 'admin');
    if (patch.url !== undefined) await checkWebhookTarget(patch.url, this.#options.allowPrivate);
    return this.#store.transaction(async (scope) => {
      const current = await this.#require(scope, admin.workspaceId, id);
      const now = nowIso();
      const resumed = current.status === 'paused' && patch.status === 'active';
      const next: StoredWebhook = {
        ...current,
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.events !== undefined ? { events: normalEvents(patch.events) } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(patch.status === 'paused' && current.status !== 'paused' ? { pausedAt: now } : {}),
        ...(resumed ? { pausedAt: null, failingSince: null } : {}),
        ...(patch.rotateSecret ? { secret: newSecret() } : {}),
        updatedAt: now,
      };
      await scope.webhooks.save(next);
      if (patch.status === 'paused' && current.status !== 'paused') await scope.webhooks.pauseDeliveries(id);
      if (resumed) {
        for (const delivery of await scope.webhooks.deliveriesIn(id, 'paused')) await this.#schedule(scope, delivery);
      }
      await this.#audit(scope, admin, 'webhook.update', next);
      return { webhook: patch.rotateSecret ? withSecret(next) : publicWebhook(next) };
    });
  }

  async remove(admin: Agent, id: string): Promise<void> {
    assertRole(admin, 'admin');
    await this.#store.transaction(async (scope) => {
      const webhook = await this.#require(scope, admin.workspaceId, id);
      await scope.webhooks.remove(admin.workspaceId, id);
      await this.#audit(scope, admin, 'webhook.delete', webhook);
    });
  }

  async deliveries(admin: Agent, id: string, filter: DeliveryList): Promise<{ deliveries: WebhookDelivery[]; more: boolean }> {
    assertRole(admin, 'admin');
    await this.#require(this.#store, admin.workspaceId, id);
    const page = await this.#store.webhooks.deliveries(admin.workspaceId, id, { ...filter, limit: filter.limit + 1 });
    return { deliveries: page.slice(0, filter.limit), more: page.length > filter.limit };
  }

  /** Sends a delivery again (same id, same body, a fresh signature), whatever became of it. */
  async redeliver(admin: Agent, id: string, deliveryId: string): Promise<WebhookDelivery> {
    assertRole(admin, 'admin');
    return this.#store.transaction(async (scope) => {
      const webhook = await this.#require(scope, admin.workspaceId, id);
      const delivery = await scope.webhooks.delivery(admin.workspaceId, deliveryId);
      if (!delivery || delivery.webhookId !== webhook.id) throw notFound('Delivery');
      if (webhook.status === 'paused') throw new CharlaFailure('conflict', 'The webhook is paused; resume it first (PATCH {"status":"active"})');
      if (delivery.state === 'pending') throw new CharlaFailure('conflict', 'The delivery is still being sent');
      const scheduled = await this.#schedule(scope, delivery);
      await this.#audit(scope, admin, 'webhook.redeliver', webhook, { deliveryId });
      return toPublicDelivery(scheduled, (await scope.webhooks.attemptsOf([delivery.id])).get(delivery.id) ?? []);
    });
  }

  async #require(scope: StoreScope, workspaceId: string, id: string): Promise<StoredWebhook> {
    const webhook = await scope.webhooks.get(workspaceId, id);
    if (!webhook) throw notFound('Webhook');
    return webhook;
  }

  async #audit(scope: StoreScope, admin: Agent, action: string, webhook: StoredWebhook, data: Record<string, unknown> = {}): Promise<void> {
    await scope.audit.record({
      workspaceId: admin.workspaceId, actorKind: 'agent', actorId: admin.id, action, targetKind: 'webhook', targetId: webhook.id,
      data: { url: webhook.url.slice(0, WEBHOOK_URL_MAX), events: webhook.events, status: webhook.status, ...data },
    });
  }

  // ── Deliveries ─────────────────────────────────────────────────────────────────────────────

  /** Stores the deliveries of a transaction's entries, with their jobs, in that transaction. */
  async #stageDeliveries(scope: StoreScope, staged: Parameters<typeof webhookEventsOf>[1]): Promise<void> {
    const workspaceIds = [...new Set(staged.map(({ workspaceId }) => workspaceId))];
    // One workspace (a lot of one workspace's deliveries, an agent's change): read in its own row
    // scope, so the transaction's connection does not switch to the platform's and back (two round
    // trips on PostgreSQL).
    const hooks = workspaceIds.length === 1
      ? (await scope.webhooks.list(workspaceIds[0]!)).filter((hook) => hook.status === 'active')
      : await scope.webhooks.activeOf(workspaceIds);
    if (hooks.length === 0) return;
    const wanted = (workspaceId: string, type: WebhookEventType) => hooks.some((hook) => hook.workspaceId === workspaceId && subscribes(hook.events, type));
    const now = nowIso();
    for (const event of await webhookEventsOf(scope, staged, wanted)) {
      for (const hook of hooks) {
        if (hook.workspaceId !== event.workspaceId || !subscribes(hook.events, event.type)) continue;
        const id = newId('whd');
        const body = JSON.stringify({ id, type: event.type, createdAt: now, workspaceId: event.workspaceId, data: event.data });
        const delivery: StoredDelivery = {
          id, workspaceId: event.workspaceId, webhookId: hook.id, type: event.type, lane: event.lane, body,
          state: 'pending', jobId: null, nextAttemptAt: now, createdAt: now, deliveredAt: null,
        };
        delivery.jobId = await enqueueJob(scope, { kind: WEBHOOK_JOB, workspaceId: event.workspaceId, payload: { deliveryId: id } });
        await scope.webhooks.insertDelivery(delivery);
      }
    }
  }

  /** Makes a delivery pending again with a fresh job (resume, redeliver); its age counts from now. */
  async #schedule(scope: StoreScope, delivery: StoredDelivery): Promise<StoredDelivery> {
    const now = nowIso();
    const jobId = await enqueueJob(scope, { kind: WEBHOOK_JOB, workspaceId: delivery.workspaceId, payload: { deliveryId: delivery.id, since: now } });
    await scope.webhooks.setState(delivery.workspaceId, delivery.id, 'pending', { nextAttemptAt: now, jobId });
    return { ...delivery, state: 'pending', nextAttemptAt: now, jobId };
  }

  async #deliver(job: Job): Promise<void> {
    const { deliveryId, since } = job.payload as { deliveryId: string; since?: string };
    const workspaceId = job.workspaceId!;
    const store = this.#store;
    const delivery = await store.webhooks.delivery(workspaceId, deliveryId);
    // Delivered, failed or paused meanwhile, or a job an older schedule left behind.
    if (!delivery || delivery.state !== 'pending' || delivery.jobId !== job.id) return;
    const webhook = await store.webhooks.get(workspaceId, delivery.webhookId);
    if (!webhook) return;
    if (webhook.status === 'paused') {
      await store.webhooks.setState(workspaceId, delivery.id, 'paused', { nextAttemptAt: null });
      return;
    }
    const earlier = await store.webhooks.earlierPending(delivery);
    if (earlier) {
      // Its lane's earlier delivery goes first; when it ends, it brings this one forward.
      const until = earlier.nextAttemptAt ? Date.parse(earlier.nextAttemptAt) - Date.now() : 0;
      throw new Postpone(`Waits for delivery ${earlier.id} of the same conversation`, Math.max(1000, until + 100));
    }
    const started = Date.now();
    const outcome = await this.#post(webhook, delivery);
    const at = new Date(started).toISOString();
    await store.webhooks.insertAttempt(workspaceId, delivery.id, newId('wha'), {
      at, status: outcome.status, error: outcome.error, durationMs: Date.now() - started,
    });
    if (outcome.ok) {
      await store.webhooks.setState(workspaceId, delivery.id, 'delivered', { deliveredAt: nowIso(), nextAttemptAt: null });
      await store.webhooks.markHealthy(workspaceId, webhook.id);
      await this.#releaseLane(delivery);
      return;
    }
    const failingSince = await store.webhooks.markFailing(workspaceId, webhook.id, at);
    if (failingSince && Date.now() - Date.parse(failingSince) >= this.#options.pauseAfterMs) {
      await this.#pause(webhook);
      return;
    }
    const age = Date.now() - Date.parse(since ?? delivery.createdAt);
    if (!outcome.retry || age >= this.#options.retryForMs) {
      await store.webhooks.setState(workspaceId, delivery.id, 'failed', { nextAttemptAt: null });
      await this.#releaseLane(delivery);
      throw new PermanentFailure(outcome.error ?? `Answered ${outcome.status}`);
    }
    const delay = outcome.retryAfterMs ?? backoffDelay(job.attempts, this.#options.retryBaseMs, this.#options.retryMaxMs);
    await store.webhooks.setState(workspaceId, delivery.id, 'pending', { nextAttemptAt: new Date(Date.now() + delay).toISOString() });
    throw new RetryLater(outcome.error ?? `Answered ${outcome.status}`, delay);
  }

  /** The next delivery of the lane, waiting for this one, goes now. */
  async #releaseLane(delivery: StoredDelivery): Promise<void> {
    const next = await this.#store.webhooks.nextPending(delivery);
    if (!next?.jobId) return;
    await this.#store.jobs.bringForward(next.jobId, nowIso());
    for (const queue of this.#queues) queue.wake();
  }

  async #pause(webhook: StoredWebhook): Promise<void> {
    await this.#store.transaction(async (scope) => {
      if (!(await scope.webhooks.pause(webhook.workspaceId, webhook.id, nowIso()))) return;
      await scope.webhooks.pauseDeliveries(webhook.id);
      await notifyWebhookPaused(scope, webhook.workspaceId, webhook.url, Math.round(this.#options.pauseAfterMs / HOUR));
      await scope.audit.record({
        workspaceId: webhook.workspaceId, actorKind: 'system', actorId: null, action: 'webhook.pause', targetKind: 'webhook', targetId: webhook.id,
        data: { url: webhook.url, failingSince: webhook.failingSince },
      });
    });
    this.#options.logger.warn(`Webhook ${webhook.id} of workspace ${webhook.workspaceId} paused after failing too long`);
  }

  /** One POST; never throws (what happened is the outcome). */
  async #post(webhook: StoredWebhook, delivery: StoredDelivery): Promise<PostOutcome> {
    const url = new URL(webhook.url);
    const signal = AbortSignal.timeout(this.#options.timeoutMs);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Charla-Webhooks/1',
      'x-charla-signature': webhookSignature(webhook.secret, delivery.body, Math.floor(Date.now() / 1000)),
      'x-charla-delivery': delivery.id,
      'x-charla-event': delivery.type,
    };
    try {
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
        const request = send(url, {
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(delivery.body) },
          agent: false,
          signal,
          ...(this.#options.allowPrivate ? {} : { lookup: publicOnlyLookup }),
        });
        request.on('response', resolve);
        request.on('error', reject);
        request.end(delivery.body);
      });
      // The answer's body is not read (nor kept): only its status matters.
      response.resume();
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) return { ok: true, status, error: null, retry: false };
      const retryAfter = Number(response.headers['retry-after']);
      return {
        ok: false,
        status,
        error: `Answered ${status}`,
        retry: status === 429 || status >= 500,
        ...(status === 429 && Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterMs: Math.min(retryAfter * 1000, this.#options.retryMaxMs) } : {}),
      };
    } catch (error) {
      const message = signal.aborted ? `No answer within ${this.#options.timeoutMs} ms` : `Could not connect: ${(error as Error).message}`;
      return { ok: false, status: null, error: message, retry: true };
    }
  }
}

interface PostOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
  /** Worth another attempt (timeout, connection, 429, 5xx). */
  retry: boolean;
  retryAfterMs?: number;
}
