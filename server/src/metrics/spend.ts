import { SPEND_LIMITS, spendEntrySchema, spendListRequestSchema, type Agent, type SpendEntry } from '@charla/protocol';
import { parse } from 'csv-parse/sync';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { nowIso } from '../ids.js';
import type { Store } from '../store/index.js';
import type { SpendRow } from '../store/pipeline-metrics.js';
import { parseInput } from '../validation.js';

/** A stored spend row as the API answers it. */
export const spendEntryOf = (row: SpendRow): SpendEntry => ({
  channel: row.channel, campaign: row.campaign, month: row.month, amount: Number(row.amount_cents) / 100, currency: row.currency,
});

type ValidSpend = z.output<typeof spendEntrySchema>;

/** The columns of a spend CSV (its first line names them, in any order; `campaign` may be left out). */
const CSV_COLUMNS = ['channel', 'campaign', 'month', 'amount', 'currency'] as const;

/**
 * Spend entries read from CSV text: one per line after the header. Every line is validated
 * before anything is saved; the first bad one is refused with its line number.
 */
export function spendFromCsv(text: string): ValidSpend[] {
  let records: Array<Record<string, string>>;
  try {
    records = parse(text, { columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new CharlaFailure('invalid_payload', `The CSV could not be read: ${(error as Error).message}`);
  }
  if (records.length === 0) throw new CharlaFailure('invalid_payload', `The CSV has no spend lines; its first line names the columns: ${CSV_COLUMNS.join(',')}`);
  if (records.length > SPEND_LIMITS.csvRows) throw new CharlaFailure('invalid_payload', `The CSV has ${records.length} lines; at most ${SPEND_LIMITS.csvRows} at once`);
  const unknown = Object.keys(records[0]!).filter((column) => !(CSV_COLUMNS as readonly string[]).includes(column));
  if (unknown.length > 0) throw new CharlaFailure('invalid_payload', `Unknown column ${unknown.join(', ')}; the columns are ${CSV_COLUMNS.join(', ')}`);
  return records.map((record, i) => {
    const amount = record.amount === undefined || record.amount === '' ? undefined : Number(record.amount);
    const parsed = spendEntrySchema.safeParse({ ...record, amount: Number.isNaN(amount) ? record.amount : amount });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CharlaFailure('invalid_payload', `Line ${i + 2}: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
    }
    return parsed.data;
  });
}

/** Enters (or replaces) spend: one entry or a whole CSV, all or nothing, audited. */
export async function enterSpend(store: Store, admin: Agent, entries: ValidSpend[]): Promise<{ saved: number; spend: SpendEntry[] }> {
  const at = nowIso();
  const spend = entries.map((entry) => ({ channel: entry.channel, campaign: entry.campaign ?? '', month: entry.month, amount: entry.amount, currency: entry.currency }));
  await store.transaction(async (scope) => {
    for (const entry of spend) {
      await scope.deals.spend.save(admin.workspaceId, { ...entry, amount_cents: Math.round(entry.amount * 100) }, admin.id, at);
    }
    await scope.audit.record({
      workspaceId: admin.workspaceId, actorKind: 'agent', actorId: admin.id, action: 'spend.entered', targetKind: 'workspace', targetId: admin.workspaceId,
      data: { entries: spend.length, months: [...new Set(spend.map((entry) => entry.month))].sort() },
    });
  });
  return { saved: spend.length, spend };
}

/** The spend entered for a range of months (default: the last twelve). */
export async function listSpend(store: Store, agent: Agent, query: Record<string, unknown>): Promise<{ spend: SpendEntry[] }> {
  const { from, to } = parseInput(spendListRequestSchema, query);
  const now = new Date();
  const last = to ?? now.toISOString().slice(0, 7);
  const first = from ?? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)).toISOString().slice(0, 7);
  const rows = await store.reads.deals.spend.list(agent.workspaceId, first, last);
  return { spend: rows.map(spendEntryOf) };
}
