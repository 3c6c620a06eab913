import type { TimelineItem, TimelineItemKind } from '@charla/protocol';
import type { Sql } from '../db.js';
import { dialectOf, type Dialect } from '../dialect.js';
import { visibleToAgentSql } from './conversations.js';

interface TimelineRow {
  id: string;
  kind: TimelineItemKind;
  at: string;
  contact_id: string | null;
  conversation_id: string | null;
  deal_id: string | null;
  task_id: string | null;
  text: string;
  channel: string | null;
  amount_cents: number | null;
  currency: string | null;
  rule: string | null;
  actor: string | null;
  status: string | null;
}

/**
 * One feed from every source, newest first: messages of every channel (system lines left out),
 * notes, each deal's stays in its stages (the first is the deal's creation), tasks created and
 * done, business events, merges and their undoing, each conversation's latest AI summary, and survey answers. `who` is the contact, or every contact of the company.
 * `?7`: an agent who sees only their teams' conversations (null: every conversation).
 */
const feed = (dialect: Dialect) => `
  WITH who(id) AS (
    SELECT id FROM contacts WHERE workspace_id = ?1 AND (id = ?2 OR (CAST(?3 AS TEXT) IS NOT NULL AND company_id = ?3))
  ),
  feed AS (
    SELECT 'msg:' || m.id AS id, 'message' AS kind, m.created_at AS at, c.contact_id, c.id AS conversation_id,
      NULL AS deal_id, NULL AS task_id, m.body AS text, c.channel, CAST(NULL AS INTEGER) AS amount_cents, NULL AS currency, NULL AS rule,
      -- A customer who wrote before they had a name (an Instagram id, a web visitor) is named as the contact is now.
      COALESCE(m.sender_name, CASE WHEN m.direction = 'in' THEN ct.name END) AS actor,
      CASE WHEN m.private = 1 THEN 'private' ELSE m.direction END AS status
    FROM messages m JOIN conversations c ON c.id = m.conversation_id LEFT JOIN contacts ct ON ct.id = c.contact_id
    WHERE c.workspace_id = ?1 AND c.contact_id IN (SELECT id FROM who) AND m.type != 'system'
    UNION ALL
    SELECT 'note:' || n.id, 'note', n.created_at, n.contact_id, NULL, NULL, NULL, n.body, NULL, NULL, NULL, NULL, a.name, NULL
    FROM notes n LEFT JOIN agents a ON a.id = n.author_id
    WHERE n.workspace_id = ?1 AND n.contact_id IN (SELECT id FROM who)
    UNION ALL
    SELECT 'stage:' || h.id, CASE WHEN h.entered_at = d.created_at THEN 'deal' ELSE 'stage' END, h.entered_at, d.contact_id,
      d.conversation_id, d.id, NULL, d.title || ' · ' || s.name, NULL, d.amount_cents, d.currency, h.rule, a.name, s.kind
    FROM deal_stage_history h JOIN deals d ON d.id = h.deal_id JOIN stages s ON s.id = h.stage_id
      LEFT JOIN agents a ON a.id = h.actor_id
    WHERE h.workspace_id = ?1 AND (d.contact_id IN (SELECT id FROM who) OR (CAST(?3 AS TEXT) IS NOT NULL AND d.company_id = ?3))
    UNION ALL
    SELECT 'task:' || t.id, 'task', t.created_at, t.contact_id, t.conversation_id, t.deal_id, t.id, t.title, NULL, NULL, NULL,
      t.rule, NULL, 'created'
    FROM tasks t WHERE t.workspace_id = ?1 AND (t.contact_id IN (SELECT id FROM who) OR (CAST(?3 AS TEXT) IS NOT NULL AND t.company_id = ?3))
    UNION ALL
    SELECT 'done:' || t.id, 'task', t.done_at, t.contact_id, t.conversation_id, t.deal_id, t.id, t.title, NULL, NULL, NULL,
      t.rule, NULL, 'done'
    FROM tasks t WHERE t.workspace_id = ?1 AND t.done = 1 AND t.done_at IS NOT NULL
      AND (t.contact_id IN (SELECT id FROM who) OR (CAST(?3 AS TEXT) IS NOT NULL AND t.company_id = ?3))
    UNION ALL
    SELECT 'biz:' || b.id, b.kind, b.occurred_at, b.contact_id, NULL, NULL, NULL, COALESCE(b.description, b.reference, ''), NULL,
      b.amount_cents, b.currency, NULL, NULL,
      CASE WHEN b.kind = 'invoice' THEN (CASE WHEN b.paid = 1 THEN 'paid' ELSE 'unpaid' END) ELSE NULL END
    FROM business_events b
    WHERE b.workspace_id = ?1 AND (b.contact_id IN (SELECT id FROM who) OR (CAST(?3 AS TEXT) IS NOT NULL AND b.company_id = ?3))
    UNION ALL
    SELECT 'merge:' || e.seq, 'merge', e.created_at, e.contact_id, NULL, NULL, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL
    FROM events e WHERE e.workspace_id = ?1 AND e.type = 'contact.merged' AND e.contact_id IN (SELECT id FROM who)
    UNION ALL
    -- An undone merge is on both contacts' feeds: the survivor's (the event's contact) and the restored one's.
    SELECT 'unmerge:' || e.seq, 'unmerge', e.created_at, e.contact_id, NULL, NULL, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL
    FROM events e WHERE e.workspace_id = ?1 AND e.type = 'contact.unmerged'
      AND (e.contact_id IN (SELECT id FROM who) OR ${dialect.jsonText('e.data', ['restored', 'id'])} IN (SELECT id FROM who))
    UNION ALL
    SELECT 'ai:' || i.conversation_id, 'insight', i.updated_at, c.contact_id, c.id, NULL, NULL, i.summary, c.channel, NULL, NULL,
      NULL, NULL, i.sentiment
    FROM ai_insights i JOIN conversations c ON c.id = i.conversation_id
    WHERE i.workspace_id = ?1 AND i.summary IS NOT NULL AND c.contact_id IN (SELECT id FROM who)
    UNION ALL
    -- A survey's answer: its comment as the text, its rating (1–5) as the status.
    SELECT 'csat:' || s.id, 'csat', s.answered_at, c.contact_id, c.id, NULL, NULL, COALESCE(s.comment, ''), c.channel, NULL, NULL,
      NULL, NULL, CAST(s.rating AS TEXT)
    FROM csat_surveys s JOIN conversations c ON c.id = s.conversation_id
    WHERE s.workspace_id = ?1 AND s.status = 'answered' AND c.contact_id IN (SELECT id FROM who)
  )
  SELECT * FROM feed
  WHERE (CAST(?4 AS TEXT) IS NULL OR at < ?4 OR (at = ?4 AND id < ?5))
    -- An agent limited to their teams' conversations (?7) sees no message nor summary of the others.
    AND (CAST(?7 AS TEXT) IS NULL OR kind NOT IN ('message', 'insight', 'csat')
      OR conversation_id IN (SELECT c.id FROM conversations c WHERE c.workspace_id = ?1 AND ${visibleToAgentSql('c.', '?7')}))
  ORDER BY at DESC, id DESC
  LIMIT ?6`;

/** The unified timeline of a contact or a company. */
export class TimelineQueries {
  constructor(private readonly sql: Sql) {}

  async page(
    workspaceId: string,
    owner: { contactId: string } | { companyId: string },
    before: { at: string; id: string } | null,
    limit: number,
    visibleTo?: string,
  ): Promise<TimelineItem[]> {
    const rows = await this.sql.all<TimelineRow>(feed(dialectOf(this.sql)), [
      workspaceId,
      'contactId' in owner ? owner.contactId : null,
      'companyId' in owner ? owner.companyId : null,
      before?.at ?? null,
      before?.id ?? null,
      limit,
      visibleTo ?? null,
    ]);
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      at: row.at,
      contactId: row.contact_id,
      conversationId: row.conversation_id,
      dealId: row.deal_id,
      taskId: row.task_id,
      text: row.text,
      channel: row.channel,
      amount: row.amount_cents === null ? null : row.amount_cents / 100,
      currency: row.currency,
      rule: row.rule,
      actor: row.actor,
      status: row.status,
    }));
  }
}
