import type { Sql } from '../db.js';

export interface MetricDealRow {
  id: string;
  stage_id: string;
  status: 'open' | 'won' | 'lost';
  title: string;
  amount_cents: number;
  currency: string;
  probability: number;
  expected_close_date: string | null;
  owner_id: string | null;
  contact_id: string | null;
  conversation_id: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface MetricVisitRow {
  deal_id: string;
  stage_id: string;
  entered_at: string;
  left_at: string | null;
}

const DEAL_COLUMNS = `id, stage_id, status, title, amount_cents, currency, probability, expected_close_date, owner_id, contact_id,
  conversation_id, closed_at, created_at, updated_at`;

/**
 * The order of every id list of the pipeline metrics: most recently changed deal first, ties by
 * id. Deal rows come back in it, so lists built in one pass over them need no sorting.
 */
const LIST_ORDER = 'ORDER BY updated_at DESC, id';

/** The rows pipeline metrics are computed from; every query is bound to one workspace and pipeline. */
export class PipelineMetricQueries {
  constructor(private readonly sql: Sql) {}

  /** Open deals of a pipeline, and deals closed in a range. */
  dealsOpenOrClosedBetween(workspaceId: string, pipelineId: string, from: string, to: string): Promise<MetricDealRow[]> {
    return this.sql.all<MetricDealRow>(
      `SELECT ${DEAL_COLUMNS} FROM deals WHERE workspace_id = ? AND pipeline_id = ?
         AND (status = 'open' OR (closed_at >= ? AND closed_at < ?)) ${LIST_ORDER}`,
      [workspaceId, pipelineId, from, to],
    );
  }

  /** Deals of a pipeline closed (won or lost) in a range. */
  dealsClosedBetween(workspaceId: string, pipelineId: string, from: string, to: string): Promise<MetricDealRow[]> {
    return this.sql.all<MetricDealRow>(
      `SELECT ${DEAL_COLUMNS} FROM deals WHERE workspace_id = ? AND pipeline_id = ? AND closed_at >= ? AND closed_at < ?
         AND status <> 'open' ${LIST_ORDER}`,
      [workspaceId, pipelineId, from, to],
    );
  }

  /** The open deals of a pipeline now. */
  openDeals(workspaceId: string, pipelineId: string): Promise<MetricDealRow[]> {
    return this.sql.all<MetricDealRow>(
      `SELECT ${DEAL_COLUMNS} FROM deals WHERE workspace_id = ? AND pipeline_id = ? AND status = 'open' ${LIST_ORDER}`,
      [workspaceId, pipelineId],
    );
  }

  /** A month (`YYYY-MM`, bounds as ISO times) of the forecast: open deals expected to close in it, and deals won in it. */
  forecastDeals(workspaceId: string, pipelineId: string, month: string, monthStart: string, monthEnd: string): Promise<MetricDealRow[]> {
    return this.sql.all<MetricDealRow>(
      `SELECT ${DEAL_COLUMNS} FROM deals WHERE workspace_id = ? AND pipeline_id = ?
         AND ((status = 'open' AND substr(expected_close_date, 1, 7) = ?) OR (status = 'won' AND closed_at >= ? AND closed_at < ?)) ${LIST_ORDER}`,
      [workspaceId, pipelineId, month, monthStart, monthEnd],
    );
  }

  /** Deals of a pipeline with a stage stay entered (or left) in a range. */
  async dealsWithVisitsBetween(workspaceId: string, pipelineId: string, from: string, to: string, by: 'entered' | 'left'): Promise<MetricDealRow[]> {
    const column = by === 'entered' ? 'h.entered_at' : 'h.left_at';
    return this.sql.all<MetricDealRow>(
      `SELECT ${DEAL_COLUMNS} FROM deals WHERE workspace_id = ? AND pipeline_id = ? AND id IN (
         SELECT h.deal_id FROM deal_stage_history h WHERE h.workspace_id = ? AND ${column} >= ? AND ${column} < ?) ${LIST_ORDER}`,
      [workspaceId, pipelineId, workspaceId, from, to],
    );
  }

  /** Every stage stay of the deals of a pipeline that have a stay entered (or left) in a range, per deal, oldest first. */
  visitsOfDealsWithVisitsBetween(workspaceId: string, pipelineId: string, from: string, to: string, by: 'entered' | 'left'): Promise<MetricVisitRow[]> {
    const column = by === 'entered' ? 'h.entered_at' : 'h.left_at';
    return this.sql.all<MetricVisitRow>(
      `SELECT v.deal_id, v.stage_id, v.entered_at, v.left_at FROM deal_stage_history v
       JOIN deals d ON d.id = v.deal_id AND d.workspace_id = v.workspace_id
       WHERE v.workspace_id = ? AND d.pipeline_id = ? AND v.deal_id IN (
         SELECT h.deal_id FROM deal_stage_history h WHERE h.workspace_id = ? AND ${column} >= ? AND ${column} < ?)
       ORDER BY v.deal_id, v.entered_at, v.id`,
      [workspaceId, pipelineId, workspaceId, from, to],
    );
  }
}
