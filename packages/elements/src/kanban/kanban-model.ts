/** What the board shows, computed from plain data: columns with their cards and aggregates. */
import type { Deal, Pipeline, Stage } from '@charla/protocol';

export const DAY_MS = 86_400_000;

export interface KanbanFilter {
  /** An agent id, `unassigned`, or empty for everyone. */
  owner: string;
  /** Matches the title or the contact's name, case- and accent-insensitively. */
  text: string;
}

export interface Column {
  stage: Stage;
  deals: Deal[];
  /** Sums of amounts per currency, currencies sorted. */
  totals: Array<[currency: string, amount: number]>;
  /** Average days the column's deals have been in this stage (null when empty). */
  averageDays: number | null;
}

export const daysIn = (deal: Deal, now: number): number => Math.max(0, (now - Date.parse(deal.stageEnteredAt)) / DAY_MS);

/** A deal sits in its stage longer than the stage allows. */
export function isStalled(deal: Deal, stage: Stage, now: number): boolean {
  return deal.status === 'open' && stage.stalledAfterDays !== null && daysIn(deal, now) > stage.stalledAfterDays;
}

const fold = (text: string) => text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

export function matches(deal: Deal, filter: KanbanFilter, contactName: (id: string | null) => string | null): boolean {
  if (filter.owner === 'unassigned' ? deal.ownerId !== null : filter.owner !== '' && deal.ownerId !== filter.owner) return false;
  const text = fold(filter.text.trim());
  if (!text) return true;
  return fold(deal.title).includes(text) || fold(contactName(deal.contactId) ?? '').includes(text);
}

/** The pipeline's stages as columns, each with its matching deals (longest in stage first). */
export function columnsOf(
  pipeline: Pipeline,
  deals: readonly Deal[],
  filter: KanbanFilter,
  contactName: (id: string | null) => string | null,
  now: number,
): Column[] {
  const byStage = new Map<string, Deal[]>(pipeline.stages.map((stage) => [stage.id, []]));
  for (const deal of deals) {
    if (deal.pipelineId !== pipeline.id || !matches(deal, filter, contactName)) continue;
    byStage.get(deal.stageId)?.push(deal);
  }
  return pipeline.stages.map((stage) => {
    const stageDeals = (byStage.get(stage.id) ?? []).sort((a, b) => a.stageEnteredAt.localeCompare(b.stageEnteredAt) || a.id.localeCompare(b.id));
    const cents = new Map<string, number>();
    let days = 0;
    for (const deal of stageDeals) {
      cents.set(deal.currency, (cents.get(deal.currency) ?? 0) + Math.round(deal.amount * 100));
      days += daysIn(deal, now);
    }
    return {
      stage,
      deals: stageDeals,
      totals: [...cents].sort(([a], [b]) => a.localeCompare(b)).map(([currency, total]) => [currency, total / 100]),
      averageDays: stageDeals.length > 0 ? days / stageDeals.length : null,
    };
  });
}
