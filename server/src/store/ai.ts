import type { AiFilledField, AiSettings, Analysis, ConversationInsight, InsightStatus, Qualification } from '@charla/protocol';
import type { Sql } from '../db.js';
import { placeholders } from './like.js';

interface InsightRow {
  conversation_id: string;
  workspace_id: string;
  contact_id: string;
  status: InsightStatus;
  error: string | null;
  provider: string | null;
  data: string | null;
  analyzed_message_id: string | null;
  analyzed_until: string | null;
  job_id: string | null;
  updated_at: string;
}

/** What an analysis stored: the provider's answer and the qualification derived from it. */
export interface InsightData {
  analysis: Analysis;
  qualification: Qualification;
}

/** An insight row as the AI service needs it (with its bookkeeping). */
export interface StoredInsight {
  insight: ConversationInsight;
  analyzedUntil: string | null;
  jobId: string | null;
}

const toInsight = (row: InsightRow): StoredInsight => {
  const data = row.data ? (JSON.parse(row.data) as InsightData) : null;
  const analysis = data?.analysis;
  return {
    analyzedUntil: row.analyzed_until,
    jobId: row.job_id,
    insight: {
      workspaceId: row.workspace_id,
      conversationId: row.conversation_id,
      contactId: row.contact_id,
      status: row.status,
      error: row.error,
      provider: row.provider,
      lead: analysis?.lead ?? null,
      summary: analysis?.summary ?? null,
      sentiment: analysis?.sentiment ?? null,
      sentimentTrend: analysis?.sentimentTrend ?? null,
      topics: analysis?.topics ?? [],
      nextAction: analysis?.nextAction ?? null,
      qualification: data?.qualification ?? null,
      analyzedMessageId: row.analyzed_message_id,
      updatedAt: row.updated_at,
    },
  };
};

interface FieldRow {
  contact_id: string;
  field: string;
  value: string;
  message_id: string;
  conversation_id: string;
  excerpt: string;
  created_at: string;
}

const toField = (row: FieldRow): AiFilledField => ({
  contactId: row.contact_id,
  field: row.field,
  value: row.value,
  messageId: row.message_id,
  conversationId: row.conversation_id,
  excerpt: row.excerpt,
  createdAt: row.created_at,
});

/** AI insights per conversation, AI-filled contact fields, and each workspace's AI settings. */
export class AiQueries {
  constructor(private readonly sql: Sql) {}

  /** The insight of a conversation; its contact is the conversation's current one (merges move conversations). */
  async insight(workspaceId: string, conversationId: string): Promise<StoredInsight | undefined> {
    const row = await this.sql.get<InsightRow>(
      `SELECT i.conversation_id, i.workspace_id, c.contact_id, i.status, i.error, i.provider, i.data, i.analyzed_message_id,
              i.analyzed_until, i.job_id, i.updated_at
       FROM ai_insights i JOIN conversations c ON c.id = i.conversation_id
       WHERE i.workspace_id = ? AND i.conversation_id = ?`,
      [workspaceId, conversationId],
    );
    return row && toInsight(row);
  }

  /** The contact's most recently analyzed conversation's insight. */
  async latestOfContact(workspaceId: string, contactId: string): Promise<StoredInsight | undefined> {
    const row = await this.sql.get<InsightRow>(
      `SELECT i.conversation_id, i.workspace_id, c.contact_id, i.status, i.error, i.provider, i.data, i.analyzed_message_id,
              i.analyzed_until, i.job_id, i.updated_at
       FROM ai_insights i JOIN conversations c ON c.id = i.conversation_id
       WHERE i.workspace_id = ? AND c.contact_id = ?
       ORDER BY i.updated_at DESC, i.conversation_id DESC LIMIT 1`,
      [workspaceId, contactId],
    );
    return row && toInsight(row);
  }

  /** Marks a conversation as waiting for the analysis job `jobId` (keeping the last results). */
  async markPending(workspaceId: string, conversationId: string, contactId: string, jobId: string, now: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO ai_insights (conversation_id, workspace_id, contact_id, status, job_id, updated_at)
       VALUES (?, ?, ?, 'pending', ?, ?)
       ON CONFLICT (conversation_id) DO UPDATE SET status = 'pending', error = NULL, job_id = excluded.job_id`,
      [conversationId, workspaceId, contactId, jobId, now],
    );
  }

  async saveResult(
    workspaceId: string,
    conversationId: string,
    result: { provider: string; data: InsightData; analyzedMessageId: string; analyzedUntil: string; now: string },
  ): Promise<void> {
    await this.sql.run(
      `UPDATE ai_insights SET status = 'ready', error = NULL, provider = ?, data = ?, summary = ?, sentiment = ?, analyzed_message_id = ?,
              analyzed_until = ?, job_id = NULL, updated_at = ?
       WHERE workspace_id = ? AND conversation_id = ?`,
      [
        result.provider, JSON.stringify(result.data), result.data.analysis.summary, result.data.analysis.sentiment, result.analyzedMessageId,
        result.analyzedUntil, result.now, workspaceId, conversationId,
      ],
    );
  }

  async saveFailure(workspaceId: string, conversationId: string, error: string, now: string): Promise<void> {
    await this.sql.run(
      `UPDATE ai_insights SET status = 'failed', error = ?, job_id = NULL, updated_at = ? WHERE workspace_id = ? AND conversation_id = ?`,
      [error, now, workspaceId, conversationId],
    );
  }

  /**
   * Postpones the analysis jobs of conversations (by id, with their latest customer message's
   * time) that still wait, unless the last analysis already covered that message: one read of
   * their insights and one update for the lot (a burst). Returns the conversations whose job moved.
   */
  async postponeConversationJobs(
    workspaceId: string,
    due: ReadonlyMap<string, string>,
    runAt: string,
    now: string,
  ): Promise<Set<string>> {
    if (due.size === 0) return new Set();
    const rows = await this.sql.all<{ conversation_id: string; job_id: string | null; analyzed_until: string | null }>(
      `SELECT conversation_id, job_id, analyzed_until FROM ai_insights
       WHERE workspace_id = ? AND conversation_id IN (${placeholders(due.size)}) AND job_id IS NOT NULL`,
      [workspaceId, ...due.keys()],
    );
    const waiting = rows.filter((row) => row.analyzed_until === null || row.analyzed_until < due.get(row.conversation_id)!);
    if (waiting.length === 0) return new Set();
    const moved = await this.sql.all<{ id: string }>(
      `UPDATE jobs SET run_at = ?, updated_at = ? WHERE state = 'queued' AND id IN (${placeholders(waiting.length)}) RETURNING id`,
      [runAt, now, ...waiting.map((row) => row.job_id!)],
    );
    const movedIds = new Set(moved.map((row) => row.id));
    return new Set(waiting.filter((row) => movedIds.has(row.job_id!)).map((row) => row.conversation_id));
  }

  async filledFields(workspaceId: string, contactId: string): Promise<AiFilledField[]> {
    const rows = await this.sql.all<FieldRow>(
      'SELECT * FROM ai_filled_fields WHERE workspace_id = ? AND contact_id = ? ORDER BY created_at, field',
      [workspaceId, contactId],
    );
    return rows.map(toField);
  }

  async recordFilledField(workspaceId: string, field: AiFilledField): Promise<void> {
    await this.sql.run(
      `INSERT INTO ai_filled_fields (workspace_id, contact_id, field, value, message_id, conversation_id, excerpt, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (contact_id, field) DO UPDATE SET value = excluded.value, message_id = excluded.message_id,
         conversation_id = excluded.conversation_id, excerpt = excluded.excerpt, created_at = excluded.created_at`,
      [workspaceId, field.contactId, field.field, field.value, field.messageId, field.conversationId, field.excerpt, field.createdAt],
    );
  }

  async settings(workspaceId: string): Promise<AiSettings> {
    const row = await this.sql.get<{ qualify_threshold: number | null; pipeline_id: string | null; topic_words: string | null }>(
      'SELECT qualify_threshold, pipeline_id, topic_words FROM ai_settings WHERE workspace_id = ?',
      [workspaceId],
    );
    return {
      qualifyThreshold: row?.qualify_threshold ?? null,
      pipelineId: row?.pipeline_id ?? null,
      topicWords: row?.topic_words ? (JSON.parse(row.topic_words) as AiSettings['topicWords']) : {},
    };
  }

  async saveSettings(workspaceId: string, settings: AiSettings, now: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO ai_settings (workspace_id, qualify_threshold, pipeline_id, topic_words, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (workspace_id) DO UPDATE SET qualify_threshold = excluded.qualify_threshold, pipeline_id = excluded.pipeline_id,
         topic_words = excluded.topic_words, updated_at = excluded.updated_at`,
      [workspaceId, settings.qualifyThreshold, settings.pipelineId, JSON.stringify(settings.topicWords ?? {}), now],
    );
  }
}
