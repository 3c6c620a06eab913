import type { Sql } from '../db.js';
import { dialectOf } from '../dialect.js';

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface Job {
  id: string;
  workspaceId: string | null;
  kind: string;
  payload: unknown;
  state: JobState;
  /** Attempts started so far (the current one included while running). */
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

interface JobRow {
  id: string;
  workspace_id: string | null;
  kind: string;
  payload: string;
  state: JobState;
  attempts: number;
  max_attempts: number;
  run_at: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

const toJob = (row: JobRow): Job => ({
  id: row.id,
  workspaceId: row.workspace_id,
  kind: row.kind,
  payload: JSON.parse(row.payload) as unknown,
  state: row.state,
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  runAt: row.run_at,
  lastError: row.last_error,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** The durable job queue's table (see jobs/queue.ts for the life of a job). */
export class JobQueries {
  constructor(private readonly sql: Sql) {}

  /** A new queued job, or with `lockedUntil` one already claimed (running its first attempt). */
  async insert(job: Omit<Job, 'state' | 'attempts' | 'lastError' | 'updatedAt'> & { lockedUntil?: string }): Promise<void> {
    const claimed = job.lockedUntil !== undefined;
    await this.sql.run(
      `INSERT INTO jobs (id, workspace_id, kind, payload, state, attempts, max_attempts, run_at, locked_until, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        job.id, job.workspaceId, job.kind, JSON.stringify(job.payload), claimed ? 'running' : 'queued', claimed ? 1 : 0,
        job.maxAttempts, job.runAt, job.lockedUntil ?? null, job.createdAt, job.createdAt,
      ],
    );
  }

  async get(id: string): Promise<Job | undefined> {
    const row = await this.sql.get<JobRow>('SELECT * FROM jobs WHERE id = ?', [id]);
    return row && toJob(row);
  }

  /**
   * Claims the next due job in one statement (so two workers, or two processes on one database,
   * never take the same job): it becomes `running`, its attempt is counted, and it is leased
   * until `lockedUntil`; a job whose lease ran out (its worker died) is due again.
   */
  async claim(kinds: readonly string[], now: string, lockedUntil: string): Promise<Job | undefined> {
    if (kinds.length === 0) return undefined;
    // The due condition is checked again on the row itself: on PostgreSQL a claimer that waited
    // for another's claim of the same row then finds it no longer due, instead of taking it too.
    const due = `((state = 'queued' AND run_at <= ?) OR (state = 'running' AND locked_until < ?))`;
    const row = await this.sql.get<JobRow>(
      `UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = ?, updated_at = ?
       WHERE id = (
         SELECT id FROM jobs
         WHERE kind IN (${kinds.map(() => '?').join(', ')}) AND ${due}
         ORDER BY run_at, id LIMIT 1 ${dialectOf(this.sql).skipLocked}
       ) AND ${due}
       RETURNING *`,
      [lockedUntil, now, ...kinds, now, now, now, now],
    );
    return row && toJob(row);
  }

  /** When the next queued job of these kinds is due (to sleep until then). */
  async nextRunAt(kinds: readonly string[]): Promise<string | undefined> {
    if (kinds.length === 0) return undefined;
    const row = await this.sql.get<{ run_at: string | null }>(
      `SELECT MIN(CASE WHEN state = 'queued' THEN run_at ELSE locked_until END) AS run_at FROM jobs
       WHERE kind IN (${kinds.map(() => '?').join(', ')}) AND state IN ('queued', 'running')`,
      [...kinds],
    );
    return row?.run_at ?? undefined;
  }

  async finish(id: string, now: string): Promise<void> {
    await this.sql.run(`UPDATE jobs SET state = 'done', locked_until = NULL, last_error = NULL, updated_at = ? WHERE id = ?`, [
      now,
      id,
    ]);
  }

  async retryAt(id: string, runAt: string, error: string, now: string): Promise<void> {
    await this.sql.run(
      `UPDATE jobs SET state = 'queued', run_at = ?, locked_until = NULL, last_error = ?, updated_at = ? WHERE id = ?`,
      [runAt, error, now, id],
    );
  }

  /** Queues the job again for `runAt`, giving back the attempt its claim counted (it did not fail). */
  async postpone(id: string, runAt: string, reason: string, now: string): Promise<void> {
    await this.sql.run(
      `UPDATE jobs SET state = 'queued', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, run_at = ?,
         locked_until = NULL, last_error = ?, updated_at = ? WHERE id = ?`,
      [runAt, reason, now, id],
    );
  }

  /** Makes a queued job due at `now` when it was to wait longer (what it waited for is done). */
  async bringForward(id: string, now: string): Promise<void> {
    await this.sql.run(`UPDATE jobs SET run_at = ? WHERE id = ? AND state = 'queued' AND run_at > ?`, [now, id, now]);
  }

  /** Forgets finished jobs last touched before `before` (failed ones stay, for inspection). */
  async pruneDone(before: string): Promise<number> {
    const result = await this.sql.run(`DELETE FROM jobs WHERE state = 'done' AND updated_at < ?`, [before]);
    return result.changes;
  }

  async fail(id: string, error: string, now: string): Promise<void> {
    await this.sql.run(`UPDATE jobs SET state = 'failed', locked_until = NULL, last_error = ?, updated_at = ? WHERE id = ?`, [
      error,
      now,
      id,
    ]);
  }

  async list(filter: { kind?: string; state?: JobState }): Promise<Job[]> {
    const rows = await this.sql.all<JobRow>(
      `SELECT * FROM jobs WHERE (CAST(? AS TEXT) IS NULL OR kind = ?) AND (CAST(? AS TEXT) IS NULL OR state = ?) ORDER BY created_at, id`,
      [filter.kind ?? null, filter.kind ?? null, filter.state ?? null, filter.state ?? null],
    );
    return rows.map(toJob);
  }
}
