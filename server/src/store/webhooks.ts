import type { Webhook, WebhookAttempt, WebhookDelivery, WebhookPayload } from '@charla/protocol';
import type { Sql } from '../db.js';
import type { SecretKeeper } from '../secrets.js';
import { placeholders } from './like.js';

/** A subscription with its signing secret (never answered except on creation and rotation). */
export type StoredWebhook = Webhook & { secret: string };

export type DeliveryState = WebhookDelivery['state'];

/** A delivery as the sender needs it. */
export interface StoredDelivery {
  id: string;
  workspaceId: string;
  webhookId: string;
  type: string;
  lane: string;
  body: string;
  state: DeliveryState;
  jobId: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

interface WebhookRow {
  id: string;
  workspace_id: string;
  url: string;
  events: string;
  secret: string;
  description: string | null;
  status: Webhook['status'];
  failing_since: string | null;
  paused_at: string | null;
  created_at: string;
  updated_at: string;
}

interface DeliveryRow {
  id: string;
  workspace_id: string;
  webhook_id: string;
  event_type: string;
  lane: string;
  body: string;
  state: DeliveryState;
  job_id: string | null;
  next_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
}

const toWebhook = (row: WebhookRow, secret: string): StoredWebhook => ({
  id: row.id,
  workspaceId: row.workspace_id,
  url: row.url,
  events: JSON.parse(row.events) as string[],
  description: row.description,
  status: row.status,
  failingSince: row.failing_since,
  pausedAt: row.paused_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  secret,
});

const toDelivery = (row: DeliveryRow): StoredDelivery => ({
  id: row.id,
  workspaceId: row.workspace_id,
  webhookId: row.webhook_id,
  type: row.event_type,
  lane: row.lane,
  body: row.body,
  state: row.state,
  jobId: row.job_id,
  nextAttemptAt: row.next_attempt_at,
  createdAt: row.created_at,
  deliveredAt: row.delivered_at,
});

/** Outbound webhook subscriptions (signing secrets sealed, see secrets.ts), their deliveries and every attempt of each. */
export class WebhookQueries {
  constructor(
    private readonly sql: Sql,
    private readonly secrets: SecretKeeper,
  ) {}

  #open = (row: WebhookRow): StoredWebhook => toWebhook(row, this.secrets.open(row.secret));

  async insert(webhook: StoredWebhook, createdBy: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO webhooks (id, workspace_id, url, events, secret, description, status, failing_since, paused_at, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        webhook.id, webhook.workspaceId, webhook.url, JSON.stringify(webhook.events), this.secrets.seal(webhook.secret), webhook.description,
        webhook.status, webhook.failingSince, webhook.pausedAt, createdBy, webhook.createdAt, webhook.updatedAt,
      ],
    );
  }

  async save(webhook: StoredWebhook): Promise<void> {
    await this.sql.run(
      `UPDATE webhooks SET url = ?, events = ?, secret = ?, description = ?, status = ?, failing_since = ?, paused_at = ?, updated_at = ?
       WHERE workspace_id = ? AND id = ?`,
      [
        webhook.url, JSON.stringify(webhook.events), this.secrets.seal(webhook.secret), webhook.description, webhook.status, webhook.failingSince,
        webhook.pausedAt, webhook.updatedAt, webhook.workspaceId, webhook.id,
      ],
    );
  }

  async get(workspaceId: string, id: string): Promise<StoredWebhook | undefined> {
    const row = await this.sql.get<WebhookRow>('SELECT * FROM webhooks WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
    return row && this.#open(row);
  }

  /** The workspace's subscriptions, oldest first. */
  async list(workspaceId: string): Promise<StoredWebhook[]> {
    const rows = await this.sql.all<WebhookRow>('SELECT * FROM webhooks WHERE workspace_id = ? ORDER BY created_at, id', [workspaceId]);
    return rows.map(this.#open);
  }

  async count(workspaceId: string): Promise<number> {
    const row = await this.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM webhooks WHERE workspace_id = ?', [workspaceId]);
    return Number(row?.n ?? 0);
  }

  /** The active subscriptions of these workspaces (most workspaces have none: one cheap read). */
  async activeOf(workspaceIds: readonly string[]): Promise<StoredWebhook[]> {
    if (workspaceIds.length === 0) return [];
    const rows = await this.sql.all<WebhookRow>(
      `SELECT * FROM webhooks WHERE workspace_id IN (${placeholders(workspaceIds.length)}) AND status = 'active' ORDER BY created_at, id`,
      [...workspaceIds],
    );
    return rows.map(this.#open);
  }

  /** Seals the secrets stored under an older key; how many subscriptions changed. */
  async resealAll(): Promise<number> {
    const rows = await this.sql.all<{ id: string; secret: string }>('SELECT id, secret FROM webhooks');
    const stale = rows.filter((row) => this.secrets.box.isStale(row.secret));
    for (const row of stale) await this.sql.run('UPDATE webhooks SET secret = ? WHERE id = ?', [this.secrets.seal(this.secrets.open(row.secret)), row.id]);
    return stale.length;
  }

  async remove(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.sql.run('DELETE FROM webhooks WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
    return result.changes > 0;
  }

  /** Marks the subscription failing since `at` unless it already is; answers since when it fails. */
  async markFailing(workspaceId: string, id: string, at: string): Promise<string | null> {
    const row = await this.sql.get<{ failing_since: string | null }>(
      'UPDATE webhooks SET failing_since = COALESCE(failing_since, ?) WHERE workspace_id = ? AND id = ? RETURNING failing_since',
      [at, workspaceId, id],
    );
    return row?.failing_since ?? null;
  }

  async markHealthy(workspaceId: string, id: string): Promise<void> {
    await this.sql.run('UPDATE webhooks SET failing_since = NULL WHERE workspace_id = ? AND id = ? AND failing_since IS NOT NULL', [workspaceId, id]);
  }

  /** Pauses an active subscription; false when it was not active (another worker paused it). */
  async pause(workspaceId: string, id: string, at: string): Promise<boolean> {
    const result = await this.sql.run(
      `UPDATE webhooks SET status = 'paused', paused_at = ?, updated_at = ? WHERE workspace_id = ? AND id = ? AND status = 'active'`,
      [at, at, workspaceId, id],
    );
    return result.changes > 0;
  }

  async insertDelivery(delivery: StoredDelivery): Promise<void> {
    await this.sql.run(
      `INSERT INTO webhook_deliveries (id, workspace_id, webhook_id, event_type, lane, body, state, job_id, next_attempt_at, created_at, delivered_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        delivery.id, delivery.workspaceId, delivery.webhookId, delivery.type, delivery.lane, delivery.body, delivery.state,
        delivery.jobId, delivery.nextAttemptAt, delivery.createdAt, delivery.deliveredAt,
      ],
    );
  }

  async delivery(workspaceId: string, id: string): Promise<StoredDelivery | undefined> {
    const row = await this.sql.get<DeliveryRow>('SELECT * FROM webhook_deliveries WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
    return row && toDelivery(row);
  }

  /** The oldest delivery of the same lane still waiting to go before `delivery` (order per conversation). */
  async earlierPending(delivery: StoredDelivery): Promise<StoredDelivery | undefined> {
    const row = await this.sql.get<DeliveryRow>(
      `SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND lane = ? AND state = 'pending' AND id < ? ORDER BY id LIMIT 1`,
      [delivery.webhookId, delivery.lane, delivery.id],
    );
    return row && toDelivery(row);
  }

  /** The next delivery of the lane waiting after `delivery`. */
  async nextPending(delivery: StoredDelivery): Promise<StoredDelivery | undefined> {
    const row = await this.sql.get<DeliveryRow>(
      `SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND lane = ? AND state = 'pending' AND id > ? ORDER BY id LIMIT 1`,
      [delivery.webhookId, delivery.lane, delivery.id],
    );
    return row && toDelivery(row);
  }

  async setState(workspaceId: string, id: string, state: DeliveryState, fields: { nextAttemptAt?: string | null; deliveredAt?: string | null; jobId?: string | null } = {}): Promise<void> {
    await this.sql.run(
      `UPDATE webhook_deliveries SET state = ?,
         next_attempt_at = CASE WHEN CAST(? AS INTEGER) = 1 THEN ? ELSE next_attempt_at END,
         delivered_at = CASE WHEN CAST(? AS INTEGER) = 1 THEN ? ELSE delivered_at END,
         job_id = CASE WHEN CAST(? AS INTEGER) = 1 THEN ? ELSE job_id END
       WHERE workspace_id = ? AND id = ?`,
      [
        state,
        'nextAttemptAt' in fields ? 1 : 0, fields.nextAttemptAt ?? null,
        'deliveredAt' in fields ? 1 : 0, fields.deliveredAt ?? null,
        'jobId' in fields ? 1 : 0, fields.jobId ?? null,
        workspaceId, id,
      ],
    );
  }

  /** The subscription's deliveries in a state (all when null), oldest first. */
  async deliveriesIn(webhookId: string, state: DeliveryState): Promise<StoredDelivery[]> {
    const rows = await this.sql.all<DeliveryRow>('SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND state = ? ORDER BY id', [webhookId, state]);
    return rows.map(toDelivery);
  }

  /** Moves the subscription's waiting deliveries to `paused` (kept to send on resume). */
  async pauseDeliveries(webhookId: string): Promise<void> {
    await this.sql.run(`UPDATE webhook_deliveries SET state = 'paused', next_attempt_at = NULL WHERE webhook_id = ? AND state = 'pending'`, [webhookId]);
  }

  /** Forgets finished deliveries (delivered or failed) created before `before`, with their attempts. */
  async pruneDeliveries(before: string): Promise<number> {
    const result = await this.sql.run(`DELETE FROM webhook_deliveries WHERE created_at < ? AND state IN ('delivered', 'failed')`, [before]);
    return result.changes;
  }

  /** A page of the subscription's deliveries, newest first, with their attempts. */
  async deliveries(workspaceId: string, webhookId: string, filter: { state?: DeliveryState | undefined; before?: string | undefined; limit: number }): Promise<WebhookDelivery[]> {
    const rows = await this.sql.all<DeliveryRow>(
      `SELECT * FROM webhook_deliveries WHERE workspace_id = ? AND webhook_id = ?
         AND (CAST(? AS TEXT) IS NULL OR state = ?) AND (CAST(? AS TEXT) IS NULL OR id < ?)
       ORDER BY id DESC LIMIT ?`,
      [workspaceId, webhookId, filter.state ?? null, filter.state ?? null, filter.before ?? null, filter.before ?? null, filter.limit],
    );
    const attempts = await this.attemptsOf(rows.map((row) => row.id));
    return rows.map((row) => toPublicDelivery(toDelivery(row), attempts.get(row.id) ?? []));
  }

  async insertAttempt(workspaceId: string, deliveryId: string, id: string, attempt: WebhookAttempt): Promise<void> {
    await this.sql.run(
      'INSERT INTO webhook_attempts (id, workspace_id, delivery_id, at, status, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [id, workspaceId, deliveryId, attempt.at, attempt.status, attempt.error, attempt.durationMs],
    );
  }

  async attemptsOf(deliveryIds: readonly string[]): Promise<Map<string, WebhookAttempt[]>> {
    const byDelivery = new Map<string, WebhookAttempt[]>();
    if (deliveryIds.length === 0) return byDelivery;
    const rows = await this.sql.all<{ delivery_id: string; at: string; status: number | null; error: string | null; duration_ms: number }>(
      `SELECT delivery_id, at, status, error, duration_ms FROM webhook_attempts WHERE delivery_id IN (${placeholders(deliveryIds.length)}) ORDER BY at, id`,
      [...deliveryIds],
    );
    for (const row of rows) {
      const list = byDelivery.get(row.delivery_id) ?? [];
      list.push({ at: row.at, status: row.status === null ? null : Number(row.status), error: row.error, durationMs: Number(row.duration_ms) });
      byDelivery.set(row.delivery_id, list);
    }
    return byDelivery;
  }
}

export function toPublicDelivery(delivery: StoredDelivery, attempts: WebhookAttempt[]): WebhookDelivery {
  return {
    id: delivery.id,
    webhookId: delivery.webhookId,
    type: delivery.type,
    state: delivery.state,
    attempts,
    nextAttemptAt: delivery.nextAttemptAt,
    createdAt: delivery.createdAt,
    deliveredAt: delivery.deliveredAt,
    payload: JSON.parse(delivery.body) as WebhookPayload,
  };
}
