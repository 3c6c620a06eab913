/**
 * The contacts directory: filtered, sorted pages of contacts with the facts the table shows
 * (owner, company, lifetime value, last interaction, open deals), built-in segments, saved
 * segments, and bulk changes of tags and owner.
 *
 * Facts are computed where they live (purchases, conversations, deals) by correlated subqueries
 * on per-contact indexes, so nothing has to be kept in step when a message or a purchase arrives.
 */
import type { BuiltInSegment, CompanySort, CompanySummary, DirectoryFilter, DirectorySort, Segment } from '@charla/protocol';
import type { Sql, SqlParam } from '../db.js';
import { dialectOf } from '../dialect.js';
import { containsPattern, LIKE, placeholders } from './like.js';

const DAY_MS = 86_400_000;

/** The numbers behind the built-in segments' definitions (the README states them). */
export const SEGMENT_RULES = {
  newDays: 30,
  activeDays: 30,
  atRiskDays: 60,
  highValueCents: 100_000,
  frequentPurchases: 3,
  frequentDays: 90,
  followUpWaitingHours: 24,
} as const;

/** What conditions are read against: the workspace's currency (lifetime value) and the clock. */
export interface DirectoryContext {
  workspaceId: string;
  currency: string;
  now: Date;
}

interface Fragment {
  sql: string;
  params: SqlParam[];
}

const LTV_CENTS = `(SELECT COALESCE(SUM(b.amount_cents), 0) FROM business_events b
  WHERE b.contact_id = c.id AND b.kind = 'purchase' AND b.currency = ?)`;
const LAST_INTERACTION = '(SELECT MAX(v.last_message_at) FROM conversations v WHERE v.contact_id = c.id)';
const OPEN_DEALS = `(SELECT COUNT(*) FROM deals d WHERE d.contact_id = c.id AND d.status = 'open')`;
const PURCHASED = `EXISTS (SELECT 1 FROM business_events b WHERE b.contact_id = c.id AND b.kind = 'purchase')`;
const PURCHASED_SINCE = `EXISTS (SELECT 1 FROM business_events b WHERE b.contact_id = c.id AND b.kind = 'purchase' AND b.occurred_at >= ?)`;
const TALKED_SINCE = 'EXISTS (SELECT 1 FROM conversations v WHERE v.contact_id = c.id AND v.last_message_at >= ?)';

const ago = (now: Date, ms: number) => new Date(now.getTime() - ms).toISOString();

/** The condition of a built-in segment at `context.now`. */
function segmentCondition(segment: BuiltInSegment, context: DirectoryContext): Fragment {
  const { now, currency } = context;
  const rules = SEGMENT_RULES;
  switch (segment) {
    case 'new':
      return { sql: 'c.created_at >= ?', params: [ago(now, rules.newDays * DAY_MS)] };
    case 'active':
      return { sql: TALKED_SINCE, params: [ago(now, rules.activeDays * DAY_MS)] };
    case 'at_risk': {
      const since = ago(now, rules.atRiskDays * DAY_MS);
      return { sql: `(${PURCHASED} AND NOT ${TALKED_SINCE} AND NOT ${PURCHASED_SINCE})`, params: [since, since] };
    }
    case 'high_value':
      return { sql: `${LTV_CENTS} >= ?`, params: [currency, rules.highValueCents] };
    case 'frequent_buyers':
      return {
        sql: `(SELECT COUNT(*) FROM business_events b WHERE b.contact_id = c.id AND b.kind = 'purchase' AND b.occurred_at >= ?) >= ?`,
        params: [ago(now, rules.frequentDays * DAY_MS), rules.frequentPurchases],
      };
    case 'need_follow_up':
      return {
        sql: `(EXISTS (SELECT 1 FROM conversations v WHERE v.contact_id = c.id AND v.status IN ('open', 'pending')
                 AND v.waiting_since IS NOT NULL AND v.waiting_since <= ?)
               OR EXISTS (SELECT 1 FROM tasks t WHERE t.contact_id = c.id AND t.done = 0 AND t.due_at IS NOT NULL AND t.due_at < ?))`,
        params: [ago(now, rules.followUpWaitingHours * 3_600_000), now.toISOString()],
      };
  }
}

/** A directory filter whose `segment`, if any, is a built-in one (saved ones are expanded by the caller). */
export type ResolvedFilter = Omit<DirectoryFilter, 'segment'> & { segment?: BuiltInSegment };

const SORTS: Record<DirectorySort, (direction: 'ASC' | 'DESC') => Fragment & { needsCurrency?: boolean }> = {
  name: (d) => ({ sql: `(c.name IS NULL), c.name ${d}, c.id ${d}`, params: [] }),
  createdAt: (d) => ({ sql: `c.created_at ${d}, c.id ${d}`, params: [] }),
  ltv: (d) => ({ sql: `${LTV_CENTS} ${d}, c.id ${d}`, params: [], needsCurrency: true }),
  lastInteractionAt: (d) => ({ sql: `(${LAST_INTERACTION} IS NULL), ${LAST_INTERACTION} ${d}, c.id ${d}`, params: [] }),
};

export interface DirectoryFacts {
  ownerId: string | null;
  companyName: string | null;
  ltvCents: number;
  lastInteractionAt: string | null;
  openDeals: number;
}

interface SegmentRow {
  id: string;
  workspace_id: string;
  name: string;
  filter: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export type StoredSegment = Omit<Segment, 'count' | 'builtIn'>;

const toSegment = (row: SegmentRow): StoredSegment => ({
  id: row.id,
  name: row.name,
  filter: JSON.parse(row.filter) as DirectoryFilter,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** What each company row shows, computed over its people (`co` is the company). */
const COMPANY_FACTS = {
  people: '(SELECT COUNT(*) FROM contacts c WHERE c.company_id = co.id)',
  ltv: `(SELECT COALESCE(SUM(b.amount_cents), 0) FROM contacts c JOIN business_events b ON b.contact_id = c.id
    WHERE c.company_id = co.id AND b.kind = 'purchase' AND b.currency = ?)`,
  openDeals: `(SELECT COUNT(*) FROM deals d WHERE d.status = 'open'
    AND (d.company_id = co.id OR d.contact_id IN (SELECT c.id FROM contacts c WHERE c.company_id = co.id)))`,
  lastInteractionAt: `(SELECT MAX(v.last_message_at) FROM contacts c JOIN conversations v ON v.contact_id = c.id WHERE c.company_id = co.id)`,
} as const;

const COMPANY_ORDER: Record<CompanySort, string> = {
  name: 'co.name',
  people: COMPANY_FACTS.people,
  ltv: COMPANY_FACTS.ltv,
  openDeals: COMPANY_FACTS.openDeals,
};

export class DirectoryQueries {
  constructor(private readonly sql: Sql) {}

  /** `c.workspace_id = ? AND …` for every condition of every filter (all must hold). */
  #where(filters: readonly ResolvedFilter[], context: DirectoryContext): Fragment {
    const dialect = dialectOf(this.sql);
    const parts: string[] = ['c.workspace_id = ?'];
    const params: SqlParam[] = [context.workspaceId];
    const add = (fragment: Fragment) => {
      parts.push(fragment.sql);
      params.push(...fragment.params);
    };
    for (const filter of filters) {
      if (filter.query) {
        const pattern = containsPattern(filter.query);
        add({
          sql: `(LOWER(COALESCE(c.name, '')) ${LIKE} OR LOWER(COALESCE(c.email, '')) ${LIKE} OR LOWER(COALESCE(c.phone, '')) ${LIKE}
            OR EXISTS (SELECT 1 FROM identities i WHERE i.contact_id = c.id AND LOWER(i.handle) ${LIKE}))`,
          params: [pattern, pattern, pattern, pattern],
        });
      }
      for (const tag of filter.tags ?? []) add({ sql: `? IN (${dialect.jsonArrayValues('c.tags')})`, params: [tag] });
      if (filter.channels) {
        add({
          sql: `EXISTS (SELECT 1 FROM identities i WHERE i.contact_id = c.id AND i.channel IN (${placeholders(filter.channels.length)}))`,
          params: [...filter.channels],
        });
      }
      if (filter.companyId) add({ sql: 'c.company_id = ?', params: [filter.companyId] });
      if (filter.ownerId === 'none') add({ sql: 'c.owner_id IS NULL', params: [] });
      else if (filter.ownerId) add({ sql: 'c.owner_id = ?', params: [filter.ownerId] });
      if (filter.ltvMin !== undefined) add({ sql: `${LTV_CENTS} >= ?`, params: [context.currency, Math.round(filter.ltvMin * 100)] });
      if (filter.ltvMax !== undefined) add({ sql: `${LTV_CENTS} <= ?`, params: [context.currency, Math.round(filter.ltvMax * 100)] });
      if (filter.lastInteractionAfter) add({ sql: TALKED_SINCE, params: [new Date(filter.lastInteractionAfter).toISOString()] });
      if (filter.lastInteractionBefore) {
        add({ sql: `NOT EXISTS (SELECT 1 FROM conversations v WHERE v.contact_id = c.id AND v.last_message_at >= ?)`, params: [new Date(filter.lastInteractionBefore).toISOString()] });
      }
      if (filter.segment) add(segmentCondition(filter.segment, context));
      for (const [name, value] of Object.entries(filter.attributes ?? {})) {
        add({ sql: `${dialect.jsonTextOfKey('c.attributes')} = ?`, params: [name, value] });
      }
    }
    return { sql: parts.join(' AND '), params };
  }

  async count(filters: readonly ResolvedFilter[], context: DirectoryContext): Promise<number> {
    const where = this.#where(filters, context);
    const row = await this.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM contacts c WHERE ${where.sql}`, where.params);
    return Number(row?.n ?? 0);
  }

  /** Ids of one page of matching contacts, in the order asked. */
  async pageIds(
    filters: readonly ResolvedFilter[],
    context: DirectoryContext,
    order: { sort: DirectorySort; direction: 'asc' | 'desc' },
    page: { offset: number; limit: number },
  ): Promise<string[]> {
    const where = this.#where(filters, context);
    const sort = SORTS[order.sort](order.direction === 'asc' ? 'ASC' : 'DESC');
    const orderParams: SqlParam[] = sort.needsCurrency ? [context.currency] : [];
    const rows = await this.sql.all<{ id: string }>(
      `SELECT c.id FROM contacts c WHERE ${where.sql} ORDER BY ${sort.sql} LIMIT ? OFFSET ?`,
      [...where.params, ...orderParams, page.limit, page.offset],
    );
    return rows.map((row) => row.id);
  }

  /** Every matching contact's id (a bulk action on "all matching"), up to `limit`. */
  async allIds(filters: readonly ResolvedFilter[], context: DirectoryContext, limit: number): Promise<string[]> {
    const where = this.#where(filters, context);
    const rows = await this.sql.all<{ id: string }>(`SELECT c.id FROM contacts c WHERE ${where.sql} ORDER BY c.id LIMIT ?`, [...where.params, limit]);
    return rows.map((row) => row.id);
  }

  /** The ids among `ids` that are contacts of the workspace. */
  async existingIds(workspaceId: string, ids: readonly string[]): Promise<string[]> {
    const rows = await this.sql.all<{ id: string }>(
      `SELECT id FROM contacts WHERE workspace_id = ? AND id IN (${dialectOf(this.sql).jsonArrayValues('?')}) ORDER BY id`,
      [workspaceId, JSON.stringify(ids)],
    );
    return rows.map((row) => row.id);
  }

  /** What the table shows beside each of `ids`. */
  async facts(context: DirectoryContext, ids: readonly string[]): Promise<Map<string, DirectoryFacts>> {
    if (ids.length === 0) return new Map();
    const rows = await this.sql.all<{
      id: string; owner_id: string | null; company_name: string | null; ltv_cents: number; last_interaction_at: string | null; open_deals: number;
    }>(
      `SELECT c.id, c.owner_id, co.name AS company_name, ${LTV_CENTS} AS ltv_cents, ${LAST_INTERACTION} AS last_interaction_at,
              ${OPEN_DEALS} AS open_deals
       FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
       WHERE c.workspace_id = ? AND c.id IN (${placeholders(ids.length)})`,
      [context.currency, context.workspaceId, ...ids],
    );
    return new Map(rows.map((row) => [row.id, {
      ownerId: row.owner_id,
      companyName: row.company_name,
      ltvCents: Number(row.ltv_cents),
      lastInteractionAt: row.last_interaction_at,
      openDeals: Number(row.open_deals),
    }]));
  }

  /** Tags and owner of each of `ids` (what a bulk change starts from). */
  async tagsAndOwners(workspaceId: string, ids: readonly string[]): Promise<Array<{ id: string; tags: string[]; ownerId: string | null }>> {
    const rows = await this.sql.all<{ id: string; tags: string | null; owner_id: string | null }>(
      `SELECT id, tags, owner_id FROM contacts WHERE workspace_id = ? AND id IN (${dialectOf(this.sql).jsonArrayValues('?')})`,
      [workspaceId, JSON.stringify(ids)],
    );
    return rows.map((row) => ({ id: row.id, tags: row.tags ? (JSON.parse(row.tags) as string[]) : [], ownerId: row.owner_id }));
  }

  /** Sets the same tags on every one of `ids` (one statement however many there are). */
  async setTags(workspaceId: string, ids: readonly string[], tags: readonly string[], updatedAt: string): Promise<void> {
    await this.sql.run(
      `UPDATE contacts SET tags = ?, updated_at = ? WHERE workspace_id = ? AND id IN (${dialectOf(this.sql).jsonArrayValues('?')})`,
      [JSON.stringify(tags), updatedAt, workspaceId, JSON.stringify(ids)],
    );
  }

  async setOwner(workspaceId: string, ids: readonly string[], ownerId: string | null, updatedAt: string): Promise<void> {
    await this.sql.run(
      `UPDATE contacts SET owner_id = ?, updated_at = ? WHERE workspace_id = ? AND id IN (${dialectOf(this.sql).jsonArrayValues('?')})`,
      [ownerId, updatedAt, workspaceId, JSON.stringify(ids)],
    );
  }

  /** A page of the workspace's companies (name or domain containing `query`; `only` that one), with their people, deals, LTV and last interaction. */
  async companies(
    context: DirectoryContext,
    request: { query?: string | undefined; only?: string; sort: CompanySort; direction: 'asc' | 'desc'; offset: number; limit: number },
  ): Promise<{ companies: CompanySummary[]; total: number }> {
    const where = ['co.workspace_id = ?'];
    const params: SqlParam[] = [context.workspaceId];
    if (request.only) {
      where.push('co.id = ?');
      params.push(request.only);
    }
    if (request.query) {
      const pattern = containsPattern(request.query);
      where.push(`(LOWER(co.name) ${LIKE} OR LOWER(COALESCE(co.domain, '')) ${LIKE})`);
      params.push(pattern, pattern);
    }
    const direction = request.direction === 'asc' ? 'ASC' : 'DESC';
    const orderParams: SqlParam[] = request.sort === 'ltv' ? [context.currency] : [];
    const [count, rows] = await Promise.all([
      this.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM companies co WHERE ${where.join(' AND ')}`, params),
      this.sql.all<{
        id: string; workspace_id: string; name: string; domain: string | null; people: number; ltv_cents: number; open_deals: number; last_interaction_at: string | null;
      }>(
        `SELECT co.id, co.workspace_id, co.name, co.domain, ${COMPANY_FACTS.people} AS people, ${COMPANY_FACTS.ltv} AS ltv_cents,
                ${COMPANY_FACTS.openDeals} AS open_deals, ${COMPANY_FACTS.lastInteractionAt} AS last_interaction_at
         FROM companies co WHERE ${where.join(' AND ')}
         ORDER BY ${COMPANY_ORDER[request.sort]} ${direction}, co.id ${direction} LIMIT ? OFFSET ?`,
        [context.currency, ...params, ...orderParams, request.limit, request.offset],
      ),
    ]);
    return {
      total: Number(count?.n ?? 0),
      companies: rows.map((row) => ({
        id: row.id, workspaceId: row.workspace_id, name: row.name, domain: row.domain, people: Number(row.people),
        openDeals: Number(row.open_deals), ltv: Number(row.ltv_cents) / 100, lastInteractionAt: row.last_interaction_at,
      })),
    };
  }

  async segments(workspaceId: string): Promise<StoredSegment[]> {
    const rows = await this.sql.all<SegmentRow>('SELECT * FROM segments WHERE workspace_id = ? ORDER BY created_at, id', [workspaceId]);
    return rows.map(toSegment);
  }

  async segment(workspaceId: string, id: string): Promise<StoredSegment | undefined> {
    const row = await this.sql.get<SegmentRow>('SELECT * FROM segments WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
    return row && toSegment(row);
  }

  async insertSegment(workspaceId: string, segment: StoredSegment): Promise<void> {
    await this.sql.run(
      'INSERT INTO segments (id, workspace_id, name, filter, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [segment.id, workspaceId, segment.name, JSON.stringify(segment.filter), segment.createdBy, segment.createdAt, segment.updatedAt],
    );
  }

  async updateSegment(workspaceId: string, segment: StoredSegment): Promise<void> {
    await this.sql.run('UPDATE segments SET name = ?, filter = ?, updated_at = ? WHERE workspace_id = ? AND id = ?', [
      segment.name, JSON.stringify(segment.filter), segment.updatedAt, workspaceId, segment.id,
    ]);
  }

  async deleteSegment(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.sql.run('DELETE FROM segments WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
    return result.changes > 0;
  }
}
