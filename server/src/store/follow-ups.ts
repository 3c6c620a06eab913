import type { FollowUpDraft, FollowUpStatus, FollowUpTemplate } from '@charla/protocol';
import type { Sql } from '../db.js';

interface FollowUpRow {
  id: string;
  workspace_id: string;
  conversation_id: string;
  contact_id: string;
  deal_id: string;
  task_id: string;
  body: string;
  template: string | null;
  status: FollowUpStatus;
  provider: string;
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
  message_id: string | null;
  error: string | null;
}

const toFollowUp = (row: FollowUpRow): FollowUpDraft => ({
  id: row.id,
  workspaceId: row.workspace_id,
  conversationId: row.conversation_id,
  contactId: row.contact_id,
  dealId: row.deal_id,
  taskId: row.task_id,
  body: row.body,
  template: row.template ? (JSON.parse(row.template) as FollowUpTemplate) : null,
  status: row.status,
  provider: row.provider,
  createdAt: row.created_at,
  decidedAt: row.decided_at,
  decidedBy: row.decided_by,
  messageId: row.message_id,
  error: row.error,
});

/** The contact is the conversation's current one (a merge moves conversations, not drafts). */
const SELECT = `SELECT f.*, c.contact_id FROM ai_follow_ups f JOIN conversations c ON c.id = f.conversation_id`;

/** Re-engagement drafts of silent deals (migration 350). */
export class FollowUpQueries {
  constructor(private readonly sql: Sql) {}

  async get(workspaceId: string, id: string): Promise<FollowUpDraft | undefined> {
    const row = await this.sql.get<FollowUpRow>(`${SELECT} WHERE f.workspace_id = ? AND f.id = ?`, [workspaceId, id]);
    return row && toFollowUp(row);
  }

  async byTask(workspaceId: string, taskId: string): Promise<FollowUpDraft | undefined> {
    const row = await this.sql.get<FollowUpRow>(`${SELECT} WHERE f.workspace_id = ? AND f.task_id = ?`, [workspaceId, taskId]);
    return row && toFollowUp(row);
  }

  /** The conversation's drafts waiting for approval, oldest first. */
  async pending(workspaceId: string, conversationId: string): Promise<FollowUpDraft[]> {
    const rows = await this.sql.all<FollowUpRow>(
      `${SELECT} WHERE f.workspace_id = ? AND f.conversation_id = ? AND f.status = 'pending' ORDER BY f.created_at, f.id`,
      [workspaceId, conversationId],
    );
    return rows.map(toFollowUp);
  }

  async insert(draft: Omit<FollowUpDraft, 'contactId'>): Promise<void> {
    await this.sql.run(
      `INSERT INTO ai_follow_ups (id, workspace_id, conversation_id, deal_id, task_id, body, template, status, provider, created_at, decided_at, decided_by, message_id, error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        draft.id, draft.workspaceId, draft.conversationId, draft.dealId, draft.taskId, draft.body, draft.template ? JSON.stringify(draft.template) : null,
        draft.status, draft.provider, draft.createdAt, draft.decidedAt, draft.decidedBy, draft.messageId, draft.error,
      ],
    );
  }

  /** Records the owner's decision; false when it was decided already (by someone else meanwhile). */
  async decide(workspaceId: string, id: string, decision: { status: Exclude<FollowUpStatus, 'pending'>; at: string; by: string; messageId: string | null }): Promise<boolean> {
    const result = await this.sql.run(
      `UPDATE ai_follow_ups SET status = ?, decided_at = ?, decided_by = ?, message_id = ? WHERE workspace_id = ? AND id = ? AND status = 'pending'`,
      [decision.status, decision.at, decision.by, decision.messageId, workspaceId, id],
    );
    return result.changes > 0;
  }
}
