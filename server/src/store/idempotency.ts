import type { Sql } from '../db.js';

/** A request made with an `Idempotency-Key`: what it was, and its answer once it has one. */
export interface IdempotentRequest {
  fingerprint: string;
  /** Null while the first request is still being answered. */
  status: number | null;
  contentType: string | null;
  body: string | null;
  createdAt: string;
}

interface Row {
  fingerprint: string;
  status: number | null;
  content_type: string | null;
  body: string | null;
  created_at: string;
}

/** The first answers to REST requests with an `Idempotency-Key`, per workspace and key. */
export class IdempotencyQueries {
  constructor(private readonly sql: Sql) {}

  /**
   * Takes the key for a request (answers null) unless it was taken since `expiredBefore`; then
   * answers what is known of that request. An expired use of the key is forgotten first, and so
   * is one still unanswered since `abandonedBefore` (its server stopped mid-request).
   */
  async claim(workspaceId: string, key: string, fingerprint: string, now: string, expiredBefore: string, abandonedBefore: string): Promise<IdempotentRequest | null> {
    await this.sql.run(
      'DELETE FROM idempotency_keys WHERE workspace_id = ? AND idempotency_key = ? AND (created_at < ? OR (status IS NULL AND created_at < ?))',
      [workspaceId, key, expiredBefore, abandonedBefore],
    );
    const inserted = await this.sql.get<{ created_at: string }>(
      `INSERT INTO idempotency_keys (workspace_id, idempotency_key, fingerprint, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (workspace_id, idempotency_key) DO NOTHING RETURNING created_at`,
      [workspaceId, key, fingerprint, now],
    );
    if (inserted) return null;
    const row = await this.sql.get<Row>(
      'SELECT fingerprint, status, content_type, body, created_at FROM idempotency_keys WHERE workspace_id = ? AND idempotency_key = ?',
      [workspaceId, key],
    );
    // Gone between the two statements (expired and forgotten by another request): take it again.
    if (!row) return this.claim(workspaceId, key, fingerprint, now, expiredBefore, abandonedBefore);
    return { fingerprint: row.fingerprint, status: row.status === null ? null : Number(row.status), contentType: row.content_type, body: row.body, createdAt: row.created_at };
  }

  async complete(workspaceId: string, key: string, answer: { status: number; contentType: string | null; body: string }): Promise<void> {
    await this.sql.run(
      'UPDATE idempotency_keys SET status = ?, content_type = ?, body = ? WHERE workspace_id = ? AND idempotency_key = ?',
      [answer.status, answer.contentType, answer.body, workspaceId, key],
    );
  }

  /** Frees a key whose request got no answer worth keeping (a server error): it may be tried again. */
  async release(workspaceId: string, key: string): Promise<void> {
    await this.sql.run('DELETE FROM idempotency_keys WHERE workspace_id = ? AND idempotency_key = ? AND status IS NULL', [workspaceId, key]);
  }

  async prune(before: string): Promise<number> {
    return (await this.sql.run('DELETE FROM idempotency_keys WHERE created_at < ?', [before])).changes;
  }
}
