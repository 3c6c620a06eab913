import type { Sql } from '../db.js';
import { dialectOf } from '../dialect.js';
import { packedRows, unpackRows } from './packed.js';
import { Slices } from '../slices.js';

/** What a metric lists when drilling down into a deal. */
export interface MetricBriefRow {
  id: string;
  stage_id: string;
  status: 'open' | 'won' | 'lost';
  title: string;
  amount_cents: number;
  currency: string;
  owner_id: string | null;
  contact_id: string | null;
  conversation_id: string | null;
}

/** A closed deal, for the days to close and the win rate. */
export interface MetricClosedRow {
  id: string;
  status: 'won' | 'lost';
  owner_id: string | null;
  created_at: string;
  closed_at: string;
}

/** A deal's status now and its stage stays, oldest first. */
export interface MetricDealStays {
  id: string;
  status: 'open' | 'won' | 'lost';
  stays: Array<{ stage_id: string; entered_at: string; left_at: string | null }>;
}

/** Deals of one group (`key`: a stage, an owner…) in one status and currency, summed. */
export interface MetricSumRow {
  key: string | null;
  status: 'open' | 'won' | 'lost';
  currency: string;
  deals: number;
  cents: number;
  /** Σ amount × probability, each deal rounded to the cent. */
  weighted_cents: number;
  /** Σ days from each deal's creation to the given end. */
  age_days: number;
}

/** One id of a list, the list named by `key` and `status`. */
export interface MetricListedRow {
  key: string | null;
  status: 'open' | 'won' | 'lost';
  id: string;
}

/**
 * The order of every id list of the pipeline metrics: most recently changed deal first, ties by
 * id. Rows come back in it, so lists built in one pass over them need no sorting.
 */
const LIST_ORDER = 'updated_at DESC, id';

/** Deals of a pipeline that are open now or were closed in a range. */
const OPEN_OR_CLOSED = `workspace_id = ? AND pipeline_id = ? AND (status = 'open' OR (closed_at >= ? AND closed_at < ?))`;
/** Open deals of a pipeline expected to close in a month (`YYYY-MM`), and deals won in it. */
const FORECAST = `workspace_id = ? AND pipeline_id = ?
  AND ((status = 'open' AND substr(expected_close_date, 1, 7) = ?) OR (status = 'won' AND closed_at >= ? AND closed_at < ?))`;

/**
 * The rows pipeline metrics are computed from; every query is bound to one workspace and
 * pipeline. Sums are done here, so only the numbers and the listed ids leave the database.
 */
export class PipelineMetricQueries {
  constructor(private readonly sql: Sql) {}

  /** Deals of a pipeline closed (won or lost) in a range, in list order. */
  closedBetween(workspaceId: string, pipelineId: string, from: string, to: string): Promise<MetricClosedRow[]> {
    return this.sql.all<MetricClosedRow>(
      `SELECT id, status, owner_id, created_at, closed_at FROM deals
       WHERE workspace_id = ? AND pipeline_id = ? AND closed_at >= ? AND closed_at < ? AND status <> 'open'
       ORDER BY ${LIST_ORDER}`,
      [workspaceId, pipelineId, from, to],
    );
  }

  /**
   * The deals of a pipeline with a stage stay entered (or left) in a range, in list order, each
   * with every stay it made (read packed, one row per deal).
   */
  async staysOfDealsWithStaysBetween(workspaceId: string, pipelineId: string, from: string, to: string, by: 'entered' | 'left'): Promise<MetricDealStays[]> {
    const column = by === 'entered' ? 'h.entered_at' : 'h.left_at';
    // Driven by the pipeline's deals, each one's stays found through the per-deal index, rather
    // than by walking the workspace's whole stage history.
    const rows = await this.sql.all<{ id: string; status: MetricDealStays['status']; stays: string }>(
      `SELECT d.id, d.status, ${packedRows(dialectOf(this.sql), ['v.stage_id', 'v.entered_at', 'v.left_at'], 'v.entered_at, v.id')} AS stays
       FROM deals d JOIN deal_stage_history v ON v.deal_id = d.id
       WHERE d.workspace_id = ? AND d.pipeline_id = ? AND d.id IN (
         SELECT h.deal_id FROM deal_stage_history h WHERE h.workspace_id = ? AND ${column} >= ? AND ${column} < ?)
       GROUP BY d.id, d.status, d.updated_at ORDER BY d.updated_at DESC, d.id`,
      [workspaceId, pipelineId, workspaceId, from, to],
    );
    return Slices.map(rows, ({ id, status, stays }) => ({
      id, status, stays: unpackRows(stays).map(([stage_id, entered_at, left_at]) => ({ stage_id: stage_id!, entered_at: entered_at!, left_at: left_at ?? null })),
    }));
  }

  /** The open deals of a pipeline now, summed per stage and currency (ages up to `to`). */
  openSumsByStage(workspaceId: string, pipelineId: string, to: string): Promise<MetricSumRow[]> {
    return this.#sums('stage_id', `workspace_id = ? AND pipeline_id = ? AND status = 'open'`, [workspaceId, pipelineId], to);
  }

  /** The open deals of a pipeline now, per stage, at most `limit` of each, in list order. */
  openIdsByStage(workspaceId: string, pipelineId: string, limit: number): Promise<MetricListedRow[]> {
    return this.#listed('stage_id', `workspace_id = ? AND pipeline_id = ? AND status = 'open'`, [workspaceId, pipelineId], limit);
  }

  /** Deals open now or closed in a range, summed per owner, status and currency. */
  openOrClosedSumsByOwner(workspaceId: string, pipelineId: string, from: string, to: string): Promise<MetricSumRow[]> {
    return this.#sums('owner_id', OPEN_OR_CLOSED, [workspaceId, pipelineId, from, to], to);
  }

  /** Deals open now or closed in a range, per owner and status, at most `limit` of each, in list order. */
  openOrClosedIdsByOwner(workspaceId: string, pipelineId: string, from: string, to: string, limit: number): Promise<MetricListedRow[]> {
    return this.#listed('owner_id', OPEN_OR_CLOSED, [workspaceId, pipelineId, from, to], limit);
  }

  /** A month of the forecast (`YYYY-MM`, bounds as ISO times): open deals expected in it and deals won in it, summed per status and currency. */
  forecastSums(workspaceId: string, pipelineId: string, month: string, monthStart: string, monthEnd: string): Promise<MetricSumRow[]> {
    return this.#sums('NULL', FORECAST, [workspaceId, pipelineId, month, monthStart, monthEnd], monthEnd);
  }

  /** The same deals as `forecastSums`, per status, at most `limit` of each, in list order. */
  forecastIds(workspaceId: string, pipelineId: string, month: string, monthStart: string, monthEnd: string, limit: number): Promise<MetricListedRow[]> {
    return this.#listed('NULL', FORECAST, [workspaceId, pipelineId, month, monthStart, monthEnd], limit);
  }

  /** The records of listed deals (ids the metric itself found), in list order. */
  async briefs(workspaceId: string, ids: string[]): Promise<MetricBriefRow[]> {
    if (ids.length === 0) return [];
    return this.sql.all<MetricBriefRow>(
      `SELECT id, stage_id, status, title, amount_cents, currency, owner_id, contact_id, conversation_id FROM deals
       WHERE workspace_id = ? AND id IN (${dialectOf(this.sql).jsonArrayValues('?')}) ORDER BY ${LIST_ORDER}`,
      [workspaceId, JSON.stringify(ids)],
    );
  }

  /** Deals matching `where`, summed per `key` column, status and currency; the weighted amount rounds each deal half up to the cent. */
  #sums(key: string, where: string, params: string[], ageTo: string): Promise<MetricSumRow[]> {
    return this.sql.all<MetricSumRow>(
      `SELECT ${key} AS key, status, currency, COUNT(*) AS deals, SUM(amount_cents) AS cents,
         SUM((amount_cents * probability + 50) / 100) AS weighted_cents, SUM(${dialectOf(this.sql).daysBetween('created_at', '?')}) AS age_days
       FROM deals WHERE ${where} GROUP BY ${key === 'NULL' ? '' : `${key}, `}status, currency`,
      [ageTo, ...params],
    );
  }

  /** Ids of deals matching `where`, the first `limit` in list order per `key` column and status. */
  #listed(key: string, where: string, params: string[], limit: number): Promise<MetricListedRow[]> {
    return this.sql.all<MetricListedRow>(
      `SELECT key, status, id FROM (
         SELECT ${key} AS key, status, id, ROW_NUMBER() OVER (PARTITION BY ${key}, status ORDER BY ${LIST_ORDER}) AS n
         FROM deals WHERE ${where}) AS listed
       WHERE n <= ? ORDER BY key, status, n`,
      [...params, limit],
    );
  }
}

/**
 * A contact whose first conversation started in a range, with what they bought in one currency
 * (one row per currency bought in; `currency` null when they bought nothing).
 */
export interface CohortRow {
  contact_id: string;
  contact_name: string | null;
  conversation_id: string;
  channel: string;
  created_at: string;
  /** The Click-to-WhatsApp ad of the first conversation, when its click id is known. */
  ad_id: string | null;
  ad_headline: string | null;
  currency: string | null;
  cents: number | null;
  has_deal: number;
  has_won: number;
}

/**
 * The follow-up of a pipeline's open deals: per owner, `open` and `up_to_date` counts (`id` null),
 * and the stale deals listed (`id` set; `open` and `up_to_date` null) with their last follow-up.
 */
export interface HygieneRow {
  owner_id: string | null;
  open: number | null;
  up_to_date: number | null;
  id: string | null;
  last_follow_up: string | null;
}

/** Open conversations of one assignee, summed. */
export interface WorkloadSumRow {
  assignee_id: string | null;
  open: number;
  waiting: number;
  oldest_waiting_since: string | null;
}

/** A waiting conversation listed behind an assignee's numbers. */
export interface WorkloadListedRow {
  id: string;
  contact_id: string;
  contact_name: string | null;
  channel: string;
  assignee_id: string | null;
  waiting_since: string;
}

export interface SpendRow {
  channel: string;
  campaign: string;
  month: string;
  currency: string;
  amount_cents: number;
}

/** The rows the sales metrics are computed from (lifetime value, hygiene, acquisition, workload). */
export class SalesMetricQueries {
  constructor(private readonly sql: Sql) {}

  /**
   * Contacts whose first conversation (earliest start, ties by id) started in `[from, to)`, with
   * that conversation's channel and ad, their purchases per currency and whether they got a deal
   * and won one. Driven by the conversations started in the range, each checked for an earlier
   * one of its contact through the per-contact index.
   */
  cohort(workspaceId: string, from: string, to: string): Promise<CohortRow[]> {
    const dialect = dialectOf(this.sql);
    const clid = dialect.jsonText('k.referral', ['ctwa_clid']);
    return this.sql.all<CohortRow>(
      `SELECT k.contact_id, ct.name AS contact_name, k.id AS conversation_id, k.channel, k.created_at,
         CASE WHEN ${clid} IS NULL THEN NULL ELSE COALESCE(${dialect.jsonText('k.referral', ['source_id'])}, '') END AS ad_id,
         CASE WHEN ${clid} IS NULL THEN NULL ELSE ${dialect.jsonText('k.referral', ['headline'])} END AS ad_headline,
         b.currency, SUM(b.amount_cents) AS cents,
         CASE WHEN EXISTS (SELECT 1 FROM deals d WHERE d.contact_id = k.contact_id) THEN 1 ELSE 0 END AS has_deal,
         CASE WHEN EXISTS (SELECT 1 FROM deals d WHERE d.contact_id = k.contact_id AND d.status = 'won') THEN 1 ELSE 0 END AS has_won
       FROM conversations k
       JOIN contacts ct ON ct.id = k.contact_id
       LEFT JOIN business_events b ON b.contact_id = k.contact_id AND b.kind = 'purchase'
       WHERE k.workspace_id = ? AND k.created_at >= ? AND k.created_at < ?
         AND NOT EXISTS (SELECT 1 FROM conversations e WHERE e.contact_id = k.contact_id
           AND (e.created_at < k.created_at OR (e.created_at = k.created_at AND e.id < k.id)))
       GROUP BY k.contact_id, ct.name, k.id, k.channel, k.created_at, k.referral, b.currency
       ORDER BY k.created_at, k.id`,
      [workspaceId, from, to],
    );
  }

  /**
   * The open deals of a pipeline as of `at`, judged in the database: a deal is up to date with an
   * open task due after `at`, or a message an agent sent its customer (any conversation of the
   * deal's contact, or of its conversation's contact; private notes are not messages to the
   * customer) since its stage's threshold (`since`, by stage id; `sinceOtherwise` for the rest).
   * Answers the counts per owner and, per owner, the first `limit` stale deals by the longest
   * silence (never followed up first, ties by id).
   */
  hygiene(workspaceId: string, pipelineId: string, at: string, since: ReadonlyMap<string, string>, sinceOtherwise: string, limit: number): Promise<HygieneRow[]> {
    const thresholds = [...since.entries()];
    const threshold = thresholds.length === 0 ? '?' : `CASE d.stage_id ${thresholds.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ? END`;
    /** The messages agents sent the customer of the deal aliased `deal`. */
    const toCustomer = (deal: string) => `FROM conversations c JOIN messages m ON m.conversation_id = c.id
      WHERE c.contact_id = COALESCE(${deal}.contact_id, (SELECT x.contact_id FROM conversations x WHERE x.id = ${deal}.conversation_id))
        AND m.direction = 'out' AND m.sender_kind = 'agent' AND m.private = 0`;
    return this.sql.all<HygieneRow>(
      `WITH judged AS MATERIALIZED (
         SELECT d.id, d.owner_id, d.contact_id, d.conversation_id,
           CASE WHEN EXISTS (SELECT 1 FROM tasks t WHERE t.deal_id = d.id AND t.done = 0 AND t.due_at > ?)
             OR EXISTS (SELECT 1 ${toCustomer('d')} AND m.created_at >= ${threshold} AND m.created_at <= ?) THEN 1 ELSE 0 END AS up_to_date
         FROM deals d WHERE d.workspace_id = ? AND d.pipeline_id = ? AND d.status = 'open'),
       stale AS (
         SELECT j.id, j.owner_id, (SELECT MAX(m.created_at) ${toCustomer('j')} AND m.created_at <= ?) AS last_follow_up
         FROM judged j WHERE j.up_to_date = 0)
       SELECT owner_id, COUNT(*) AS open, SUM(up_to_date) AS up_to_date, NULL AS id, NULL AS last_follow_up FROM judged GROUP BY owner_id
       UNION ALL
       SELECT owner_id, NULL, NULL, id, last_follow_up FROM (
         SELECT owner_id, id, last_follow_up, ROW_NUMBER() OVER (PARTITION BY owner_id ORDER BY COALESCE(last_follow_up, ''), id) AS n FROM stale) AS listed
       WHERE n <= ?`,
      [at, ...thresholds.flat(), sinceOtherwise, at, workspaceId, pipelineId, at, limit],
    );
  }

  /** Open and pending conversations per assignee: how many, how many wait for an answer, the oldest wait. */
  workloadSums(workspaceId: string): Promise<WorkloadSumRow[]> {
    return this.sql.all<WorkloadSumRow>(
      `SELECT assignee_id, COUNT(*) AS open, COUNT(waiting_since) AS waiting, MIN(waiting_since) AS oldest_waiting_since
       FROM conversations WHERE workspace_id = ? AND status IN ('open', 'pending') GROUP BY assignee_id`,
      [workspaceId],
    );
  }

  /** The waiting conversations of each assignee, longest wait first, at most `limit` of each. */
  workloadWaiting(workspaceId: string, limit: number): Promise<WorkloadListedRow[]> {
    return this.sql.all<WorkloadListedRow>(
      `SELECT w.id, w.contact_id, ct.name AS contact_name, w.channel, w.assignee_id, w.waiting_since FROM (
         SELECT id, contact_id, channel, assignee_id, waiting_since,
           ROW_NUMBER() OVER (PARTITION BY assignee_id ORDER BY waiting_since, id) AS n
         FROM conversations WHERE workspace_id = ? AND status IN ('open', 'pending') AND waiting_since IS NOT NULL) AS w
       JOIN contacts ct ON ct.id = w.contact_id
       WHERE w.n <= ? ORDER BY w.waiting_since, w.id`,
      [workspaceId, limit],
    );
  }
}

/** Acquisition spend entered by admins. */
export class SpendQueries {
  constructor(private readonly sql: Sql) {}

  /** Enters (or replaces) the spend of a channel, campaign, month and currency. */
  async save(workspaceId: string, entry: SpendRow, by: string | null, at: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO acquisition_spend (workspace_id, channel, campaign, month, currency, amount_cents, updated_by, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (workspace_id, month, channel, campaign, currency)
       DO UPDATE SET amount_cents = excluded.amount_cents, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      [workspaceId, entry.channel, entry.campaign, entry.month, entry.currency, entry.amount_cents, by, at],
    );
  }

  /** The spend of the months `from` to `to` (`YYYY-MM`, both included), by month, channel and campaign. */
  list(workspaceId: string, from: string, to: string): Promise<SpendRow[]> {
    return this.sql.all<SpendRow>(
      `SELECT channel, campaign, month, currency, amount_cents FROM acquisition_spend
       WHERE workspace_id = ? AND month >= ? AND month <= ? ORDER BY month, channel, campaign, currency`,
      [workspaceId, from, to],
    );
  }
}
