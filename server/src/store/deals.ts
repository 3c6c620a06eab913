import { externalIdsOf } from './external-refs.js';
import type {
  AutomationSettings, BusinessEvent, BusinessEventKind, Deal, DealStatus, MoneyByCurrency, Pipeline, Stage, StageKind, StageVisit, Task,
} from '@charla/protocol';
import type { Sql, SqlParam } from '../db.js';
import { placeholders } from './like.js';
import { PipelineMetricQueries, SalesMetricQueries, SpendQueries } from './pipeline-metrics.js';

interface PipelineRow {
  id: string;
  workspace_id: string;
  name: string;
  position: number;
  created_at: string;
}

interface StageRow {
  id: string;
  pipeline_id: string;
  name: string;
  position: number;
  kind: StageKind;
  probability: number;
  stalled_after_days: number | null;
}

interface DealRow {
  external_ids?: string | null;
  id: string;
  workspace_id: string;
  pipeline_id: string;
  stage_id: string;
  status: DealStatus;
  title: string;
  amount_cents: number;
  currency: string;
  probability: number;
  expected_close_date: string | null;
  owner_id: string | null;
  contact_id: string | null;
  company_id: string | null;
  conversation_id: string | null;
  lost_reason: string | null;
  stage_entered_at: string;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

interface VisitRow {
  stage_id: string;
  entered_at: string;
  left_at: string | null;
  actor_id: string | null;
  rule: string | null;
}

interface TaskRow {
  id: string;
  workspace_id: string;
  title: string;
  due_at: string | null;
  owner_id: string | null;
  done: number;
  done_at: string | null;
  contact_id: string | null;
  company_id: string | null;
  deal_id: string | null;
  conversation_id: string | null;
  rule: string | null;
  created_at: string;
  updated_at: string;
}

interface BusinessEventRow {
  id: string;
  workspace_id: string;
  kind: BusinessEventKind;
  contact_id: string;
  company_id: string | null;
  amount_cents: number;
  currency: string;
  reference: string | null;
  description: string | null;
  due_date: string | null;
  amount_paid_cents: number;
  paid: number;
  invoice_reference: string | null;
  occurred_at: string;
  created_at: string;
}

/** Money travels in major units and is stored in integer cents, so sums stay exact. */
export const toCents = (amount: number): number => Math.round(amount * 100);
const fromCents = (cents: number): number => cents / 100;

const toStage = (row: StageRow): Stage => ({
  id: row.id,
  pipelineId: row.pipeline_id,
  name: row.name,
  position: row.position,
  kind: row.kind,
  probability: row.probability,
  stalledAfterDays: row.stalled_after_days,
});

const toDeal = (row: DealRow): Deal => ({
  id: row.id,
  workspaceId: row.workspace_id,
  pipelineId: row.pipeline_id,
  stageId: row.stage_id,
  status: row.status,
  title: row.title,
  amount: fromCents(row.amount_cents),
  currency: row.currency,
  probability: row.probability,
  expectedCloseDate: row.expected_close_date,
  ownerId: row.owner_id,
  contactId: row.contact_id,
  companyId: row.company_id,
  conversationId: row.conversation_id,
  lostReason: row.lost_reason,
  stageEnteredAt: row.stage_entered_at,
  closedAt: row.closed_at,
  ...externalIdsOf(row.external_ids),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toTask = (row: TaskRow): Task => ({
  id: row.id,
  workspaceId: row.workspace_id,
  title: row.title,
  dueAt: row.due_at,
  ownerId: row.owner_id,
  done: row.done === 1,
  doneAt: row.done_at,
  contactId: row.contact_id,
  companyId: row.company_id,
  dealId: row.deal_id,
  conversationId: row.conversation_id,
  rule: row.rule,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toBusinessEvent = (row: BusinessEventRow): BusinessEvent => ({
  id: row.id,
  workspaceId: row.workspace_id,
  kind: row.kind,
  contactId: row.contact_id,
  companyId: row.company_id,
  amount: fromCents(row.amount_cents),
  currency: row.currency,
  reference: row.reference,
  description: row.description,
  dueDate: row.due_date,
  amountPaid: fromCents(row.amount_paid_cents),
  paid: row.paid === 1,
  invoiceReference: row.invoice_reference,
  occurredAt: row.occurred_at,
  createdAt: row.created_at,
});

export interface DealFilter {
  pipelineId?: string;
  status?: DealStatus;
  contactId?: string;
  ownerId?: string;
  conversationId?: string;
  /** Deals of the company, or of any of its people. */
  companyId?: string;
}

export interface TaskFilter {
  done?: boolean;
  ownerId?: string;
  contactId?: string;
  dealId?: string;
  /** Due at or after / strictly before, as ISO timestamps. */
  dueFrom?: string;
  dueBefore?: string;
  /** Tasks without a due date too (upcoming lists them last). */
  includeUndated?: boolean;
}

/** Pipelines with their stages, deals with their stage history, tasks and business events. */
export class DealQueries {
  constructor(private readonly sql: Sql) {}

  /** The rows pipeline metrics are computed from. */
  readonly metrics = new PipelineMetricQueries(this.sql);
  /** The rows the sales metrics are computed from. */
  readonly salesMetrics = new SalesMetricQueries(this.sql);
  /** Acquisition spend entered by admins. */
  readonly spend = new SpendQueries(this.sql);

  // ------------------------------------------------------------------ pipelines

  async pipelines(workspaceId: string): Promise<Pipeline[]> {
    const [pipelines, stages] = await Promise.all([
      this.sql.all<PipelineRow>('SELECT * FROM pipelines WHERE workspace_id = ? ORDER BY position, id', [workspaceId]),
      this.sql.all<StageRow>('SELECT * FROM stages WHERE workspace_id = ? ORDER BY position', [workspaceId]),
    ]);
    return pipelines.map((row) => ({
      id: row.id,
      workspaceId: row.workspace_id,
      name: row.name,
      position: row.position,
      stages: stages.filter((stage) => stage.pipeline_id === row.id).map(toStage),
      createdAt: row.created_at,
    }));
  }

  async pipeline(workspaceId: string, id: string): Promise<Pipeline | undefined> {
    return (await this.pipelines(workspaceId)).find((pipeline) => pipeline.id === id);
  }

  async stage(workspaceId: string, id: string): Promise<Stage | undefined> {
    const row = await this.sql.get<StageRow>('SELECT * FROM stages WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
    return row && toStage(row);
  }

  async insertPipeline(pipeline: Pipeline): Promise<void> {
    await this.sql.run('INSERT INTO pipelines (id, workspace_id, name, position, created_at) VALUES (?, ?, ?, ?, ?)', [
      pipeline.id, pipeline.workspaceId, pipeline.name, pipeline.position, pipeline.createdAt,
    ]);
    for (const stage of pipeline.stages) {
      await this.sql.run(
        `INSERT INTO stages (id, workspace_id, pipeline_id, name, position, kind, probability, stalled_after_days)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [stage.id, pipeline.workspaceId, pipeline.id, stage.name, stage.position, stage.kind, stage.probability, stage.stalledAfterDays],
      );
    }
  }

  async renamePipeline(workspaceId: string, id: string, name: string): Promise<void> {
    await this.sql.run('UPDATE pipelines SET name = ? WHERE workspace_id = ? AND id = ?', [name, workspaceId, id]);
  }

  /** Inserts the stage, or updates its name, position, probability and threshold. */
  async saveStage(workspaceId: string, stage: Stage): Promise<void> {
    await this.sql.run(
      `INSERT INTO stages (id, workspace_id, pipeline_id, name, position, kind, probability, stalled_after_days)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, position = excluded.position,
         probability = excluded.probability, stalled_after_days = excluded.stalled_after_days`,
      [stage.id, workspaceId, stage.pipelineId, stage.name, stage.position, stage.kind, stage.probability, stage.stalledAfterDays],
    );
  }

  async deleteStage(workspaceId: string, id: string): Promise<void> {
    await this.sql.run('DELETE FROM stages WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
  }

  async dealsInStage(workspaceId: string, stageId: string): Promise<number> {
    const row = await this.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM deals WHERE workspace_id = ? AND stage_id = ?', [workspaceId, stageId]);
    return row?.n ?? 0;
  }

  async nextPipelinePosition(workspaceId: string): Promise<number> {
    const row = await this.sql.get<{ next: number }>('SELECT COALESCE(MAX(position) + 1, 0) AS next FROM pipelines WHERE workspace_id = ?', [workspaceId]);
    return row?.next ?? 0;
  }

  /** Whether the company is one of the workspace's. */
  async companyExists(workspaceId: string, id: string): Promise<boolean> {
    return (await this.sql.get('SELECT 1 AS found FROM companies WHERE workspace_id = ? AND id = ?', [workspaceId, id])) !== undefined;
  }

  // ------------------------------------------------------------------ deals

  async deal(workspaceId: string, id: string): Promise<Deal | undefined> {
    const row = await this.sql.get<DealRow>('SELECT * FROM deals WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
    return row && toDeal(row);
  }

  async deals(workspaceId: string, filter: DealFilter, limit: number): Promise<Deal[]> {
    const where = ['workspace_id = ?'];
    const params: SqlParam[] = [workspaceId];
    const add = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(`${column} = ?`);
      params.push(value);
    };
    add('pipeline_id', filter.pipelineId);
    add('status', filter.status);
    add('contact_id', filter.contactId);
    add('owner_id', filter.ownerId);
    add('conversation_id', filter.conversationId);
    if (filter.companyId !== undefined) {
      where.push('(company_id = ? OR contact_id IN (SELECT c.id FROM contacts c WHERE c.company_id = ?))');
      params.push(filter.companyId, filter.companyId);
    }
    const rows = await this.sql.all<DealRow>(
      `SELECT * FROM deals WHERE ${where.join(' AND ')} ORDER BY stage_entered_at, id LIMIT ?`,
      [...params, limit],
    );
    return rows.map(toDeal);
  }

  async insertDeal(deal: Deal): Promise<void> {
    await this.sql.run(
      `INSERT INTO deals (id, workspace_id, pipeline_id, stage_id, status, title, amount_cents, currency, probability,
         expected_close_date, owner_id, contact_id, company_id, conversation_id, lost_reason, stage_entered_at, closed_at,
         created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        deal.id, deal.workspaceId, deal.pipelineId, deal.stageId, deal.status, deal.title, toCents(deal.amount), deal.currency,
        deal.probability, deal.expectedCloseDate, deal.ownerId, deal.contactId, deal.companyId, deal.conversationId,
        deal.lostReason, deal.stageEnteredAt, deal.closedAt, deal.createdAt, deal.updatedAt,
      ],
    );
  }

  async saveDeal(deal: Deal): Promise<void> {
    await this.sql.run(
      `UPDATE deals SET stage_id = ?, status = ?, title = ?, amount_cents = ?, currency = ?, probability = ?,
         expected_close_date = ?, owner_id = ?, contact_id = ?, company_id = ?, lost_reason = ?, stage_entered_at = ?,
         closed_at = ?, updated_at = ?
       WHERE workspace_id = ? AND id = ?`,
      [
        deal.stageId, deal.status, deal.title, toCents(deal.amount), deal.currency, deal.probability, deal.expectedCloseDate,
        deal.ownerId, deal.contactId, deal.companyId, deal.lostReason, deal.stageEnteredAt, deal.closedAt, deal.updatedAt,
        deal.workspaceId, deal.id,
      ],
    );
  }

  /** Closes the current stay of the deal and opens one in its new stage. */
  async recordStageVisit(deal: Deal, visitId: string, visit: Omit<StageVisit, 'leftAt'>): Promise<void> {
    await this.sql.run('UPDATE deal_stage_history SET left_at = ? WHERE deal_id = ? AND left_at IS NULL', [visit.enteredAt, deal.id]);
    await this.sql.run(
      `INSERT INTO deal_stage_history (id, workspace_id, deal_id, stage_id, entered_at, left_at, actor_id, rule)
       VALUES (?, ?, ?, ?, ?, NULL, ?, ?)`,
      [visitId, deal.workspaceId, deal.id, visit.stageId, visit.enteredAt, visit.actorId, visit.rule],
    );
  }

  async stageHistory(workspaceId: string, dealId: string): Promise<StageVisit[]> {
    const rows = await this.sql.all<VisitRow>(
      'SELECT stage_id, entered_at, left_at, actor_id, rule FROM deal_stage_history WHERE workspace_id = ? AND deal_id = ? ORDER BY entered_at, id',
      [workspaceId, dealId],
    );
    return rows.map((row) => ({ stageId: row.stage_id, enteredAt: row.entered_at, leftAt: row.left_at, actorId: row.actor_id, rule: row.rule }));
  }

  // ------------------------------------------------------------------ tasks

  async task(workspaceId: string, id: string): Promise<Task | undefined> {
    const row = await this.sql.get<TaskRow>('SELECT * FROM tasks WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
    return row && toTask(row);
  }

  /** Tasks by due date (undated last), then creation. */
  async tasks(workspaceId: string, filter: TaskFilter, limit: number): Promise<Task[]> {
    const where = ['workspace_id = ?'];
    const params: SqlParam[] = [workspaceId];
    if (filter.done !== undefined) {
      where.push('done = ?');
      params.push(filter.done ? 1 : 0);
    }
    for (const [column, value] of [['owner_id', filter.ownerId], ['contact_id', filter.contactId], ['deal_id', filter.dealId]] as const) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    const due: string[] = [];
    if (filter.dueFrom !== undefined || filter.dueBefore !== undefined) {
      const range = ['due_at IS NOT NULL'];
      if (filter.dueFrom !== undefined) {
        range.push('due_at >= ?');
        params.push(filter.dueFrom);
      }
      if (filter.dueBefore !== undefined) {
        range.push('due_at < ?');
        params.push(filter.dueBefore);
      }
      due.push(`(${range.join(' AND ')})`);
      if (filter.includeUndated) due.push('due_at IS NULL');
      where.push(`(${due.join(' OR ')})`);
    }
    const rows = await this.sql.all<TaskRow>(
      `SELECT * FROM tasks WHERE ${where.join(' AND ')}
       ORDER BY CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at, created_at, id LIMIT ?`,
      [...params, limit],
    );
    return rows.map(toTask);
  }

  async openTaskCounts(workspaceId: string, dealIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (dealIds.length === 0) return counts;
    const rows = await this.sql.all<{ deal_id: string; n: number }>(
      `SELECT deal_id, COUNT(*) AS n FROM tasks WHERE workspace_id = ? AND done = 0 AND deal_id IN (${placeholders(dealIds.length)}) GROUP BY deal_id`,
      [workspaceId, ...dealIds],
    );
    for (const row of rows) counts.set(row.deal_id, row.n);
    return counts;
  }

  async insertTask(task: Task): Promise<void> {
    await this.sql.run(
      `INSERT INTO tasks (id, workspace_id, title, due_at, owner_id, done, done_at, contact_id, company_id, deal_id,
         conversation_id, rule, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        task.id, task.workspaceId, task.title, task.dueAt, task.ownerId, task.done ? 1 : 0, task.doneAt, task.contactId,
        task.companyId, task.dealId, task.conversationId, task.rule, task.createdAt, task.updatedAt,
      ],
    );
  }

  async saveTask(task: Task): Promise<void> {
    await this.sql.run(
      'UPDATE tasks SET title = ?, due_at = ?, owner_id = ?, done = ?, done_at = ?, updated_at = ? WHERE workspace_id = ? AND id = ?',
      [task.title, task.dueAt, task.ownerId, task.done ? 1 : 0, task.doneAt, task.updatedAt, task.workspaceId, task.id],
    );
  }

  // ------------------------------------------------------------------ automation

  async automations(workspaceId: string): Promise<Array<{ pipelineId: string; settings: AutomationSettings }>> {
    const rows = await this.sql.all<{ pipeline_id: string; settings: string }>(
      `SELECT a.pipeline_id, a.settings FROM pipeline_automation a JOIN pipelines p ON p.id = a.pipeline_id
       WHERE a.workspace_id = ? ORDER BY p.position, p.id`,
      [workspaceId],
    );
    return rows.map((row) => ({ pipelineId: row.pipeline_id, settings: JSON.parse(row.settings) as AutomationSettings }));
  }

  /** Workspaces with any automation, for the periodic sweep. */
  async workspacesWithAutomation(): Promise<string[]> {
    const rows = await this.sql.all<{ workspace_id: string }>('SELECT DISTINCT workspace_id FROM pipeline_automation');
    return rows.map((row) => row.workspace_id);
  }

  async saveAutomation(workspaceId: string, pipelineId: string, settings: AutomationSettings, at: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO pipeline_automation (pipeline_id, workspace_id, settings, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (pipeline_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
      [pipelineId, workspaceId, JSON.stringify(settings), at],
    );
  }

  /** Whether the deal has an open task made by `rule`. */
  async hasOpenRuleTask(workspaceId: string, dealId: string, rule: string): Promise<boolean> {
    const row = await this.sql.get('SELECT 1 AS found FROM tasks WHERE workspace_id = ? AND deal_id = ? AND rule = ? AND done = 0', [workspaceId, dealId, rule]);
    return row !== undefined;
  }

  /** Open deals of the pipeline whose conversation has been silent since before `cutoff`. */
  async silentDeals(workspaceId: string, pipelineId: string, cutoff: string): Promise<Deal[]> {
    const rows = await this.sql.all<DealRow>(
      `SELECT d.* FROM deals d JOIN conversations c ON c.id = d.conversation_id
       WHERE d.workspace_id = ? AND d.pipeline_id = ? AND d.status = 'open' AND COALESCE(c.last_message_at, c.created_at) < ?
       ORDER BY d.id`,
      [workspaceId, pipelineId, cutoff],
    );
    return rows.map(toDeal);
  }

  // ------------------------------------------------------------------ business events

  async businessEventByReference(workspaceId: string, kind: BusinessEventKind, reference: string): Promise<BusinessEvent | undefined> {
    const row = await this.sql.get<BusinessEventRow>(
      'SELECT * FROM business_events WHERE workspace_id = ? AND kind = ? AND reference = ?',
      [workspaceId, kind, reference],
    );
    return row && toBusinessEvent(row);
  }

  async insertBusinessEvent(event: BusinessEvent): Promise<void> {
    await this.sql.run(
      `INSERT INTO business_events (id, workspace_id, kind, contact_id, company_id, amount_cents, currency, reference,
         description, due_date, amount_paid_cents, paid, invoice_reference, occurred_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        event.id, event.workspaceId, event.kind, event.contactId, event.companyId, toCents(event.amount), event.currency,
        event.reference, event.description, event.dueDate, toCents(event.amountPaid), event.paid ? 1 : 0,
        event.invoiceReference, event.occurredAt, event.createdAt,
      ],
    );
  }

  async saveInvoicePayment(invoice: BusinessEvent): Promise<void> {
    await this.sql.run('UPDATE business_events SET amount_paid_cents = ?, paid = ? WHERE workspace_id = ? AND id = ?', [
      toCents(invoice.amountPaid), invoice.paid ? 1 : 0, invoice.workspaceId, invoice.id,
    ]);
  }

  /** Lifetime value: purchases summed per currency. */
  async lifetimeValue(workspaceId: string, contactId: string): Promise<MoneyByCurrency> {
    const rows = await this.sql.all<{ currency: string; total: number }>(
      `SELECT currency, SUM(amount_cents) AS total FROM business_events
       WHERE workspace_id = ? AND contact_id = ? AND kind = 'purchase' GROUP BY currency ORDER BY currency`,
      [workspaceId, contactId],
    );
    return Object.fromEntries(rows.map((row) => [row.currency, fromCents(row.total)]));
  }

  async openInvoices(workspaceId: string, contactId: string): Promise<BusinessEvent[]> {
    const rows = await this.sql.all<BusinessEventRow>(
      `SELECT * FROM business_events WHERE workspace_id = ? AND contact_id = ? AND kind = 'invoice' AND paid = 0
       ORDER BY COALESCE(due_date, occurred_at), id`,
      [workspaceId, contactId],
    );
    return rows.map(toBusinessEvent);
  }

  /** Business events of a contact or of a company's contacts, newest first, before (`at`, `id`). */
  async businessEventsPage(
    workspaceId: string,
    owner: { contactId: string } | { companyId: string },
    before: { at: string; id: string } | null,
    limit: number,
  ): Promise<BusinessEvent[]> {
    const [column, value] = 'contactId' in owner ? ['contact_id', owner.contactId] : ['company_id', owner.companyId];
    const rows = await this.sql.all<BusinessEventRow>(
      `SELECT * FROM business_events WHERE workspace_id = ? AND ${column} = ?
         AND (CAST(? AS TEXT) IS NULL OR occurred_at < ? OR (occurred_at = ? AND id < ?))
       ORDER BY occurred_at DESC, id DESC LIMIT ?`,
      [workspaceId, value, before?.at ?? null, before?.at ?? null, before?.at ?? null, before?.id ?? null, limit],
    );
    return rows.map(toBusinessEvent);
  }
}
