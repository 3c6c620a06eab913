import { CSAT_SETTINGS_DEFAULT, type CsatLanguage, type CsatSettings, type CsatStatus, type CsatSurvey } from '@charla/protocol';
import type { Sql } from '../db.js';

interface SurveyRow {
  id: string;
  conversation_id: string;
  contact_id: string;
  channel: string;
  agent_id: string | null;
  status: CsatStatus;
  rating: number | null;
  comment: string | null;
  asked_at: string;
  answered_at: string | null;
  expires_at: string;
}

const SURVEY_COLUMNS = `s.id, s.conversation_id, c.contact_id, s.channel, s.agent_id, s.status, s.rating, s.comment, s.asked_at, s.answered_at, s.expires_at`;
const SURVEYS = `csat_surveys s JOIN conversations c ON c.id = s.conversation_id`;

function toSurvey(row: SurveyRow): CsatSurvey {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    contactId: row.contact_id,
    channel: row.channel,
    agentId: row.agent_id,
    status: row.status,
    rating: row.rating === null ? null : Number(row.rating),
    comment: row.comment,
    askedAt: row.asked_at,
    answeredAt: row.answered_at,
    expiresAt: row.expires_at,
  };
}

/** Satisfaction surveys and each workspace's survey settings. */
export class CsatQueries {
  constructor(private readonly sql: Sql) {}

  async settings(workspaceId: string): Promise<CsatSettings> {
    const row = await this.sql.get<{ enabled: number; questions: string | null; channel_language: CsatLanguage; expires_hours: number }>(
      'SELECT enabled, questions, channel_language, expires_hours FROM csat_settings WHERE workspace_id = ?',
      [workspaceId],
    );
    if (!row) return CSAT_SETTINGS_DEFAULT;
    return {
      enabled: Boolean(Number(row.enabled)),
      questions: row.questions ? (JSON.parse(row.questions) as CsatSettings['questions']) : {},
      channelLanguage: row.channel_language,
      expiresHours: Number(row.expires_hours),
    };
  }

  async saveSettings(workspaceId: string, settings: CsatSettings, now: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO csat_settings (workspace_id, enabled, questions, channel_language, expires_hours, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (workspace_id) DO UPDATE SET enabled = excluded.enabled, questions = excluded.questions,
         channel_language = excluded.channel_language, expires_hours = excluded.expires_hours, updated_at = excluded.updated_at`,
      [workspaceId, settings.enabled ? 1 : 0, JSON.stringify(settings.questions), settings.channelLanguage, settings.expiresHours, now],
    );
  }

  async insert(workspaceId: string, survey: Omit<CsatSurvey, 'contactId'>): Promise<void> {
    await this.sql.run(
      `INSERT INTO csat_surveys (id, workspace_id, conversation_id, channel, agent_id, status, rating, comment, asked_at, answered_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [survey.id, workspaceId, survey.conversationId, survey.channel, survey.agentId, survey.status, survey.rating, survey.comment, survey.askedAt, survey.answeredAt, survey.expiresAt],
    );
  }

  async get(workspaceId: string, surveyId: string): Promise<CsatSurvey | undefined> {
    const row = await this.sql.get<SurveyRow>(`SELECT ${SURVEY_COLUMNS} FROM ${SURVEYS} WHERE s.workspace_id = ? AND s.id = ?`, [workspaceId, surveyId]);
    return row && toSurvey(row);
  }

  /** The conversation's surveys, oldest first. */
  async ofConversation(workspaceId: string, conversationId: string): Promise<CsatSurvey[]> {
    const rows = await this.sql.all<SurveyRow>(
      `SELECT ${SURVEY_COLUMNS} FROM ${SURVEYS} WHERE s.workspace_id = ? AND s.conversation_id = ? ORDER BY s.asked_at, s.id`,
      [workspaceId, conversationId],
    );
    return rows.map(toSurvey);
  }

  /** Records the answer of a survey still asked; false when it was answered or expired meanwhile. */
  async answer(workspaceId: string, surveyId: string, rating: number, comment: string | null, at: string): Promise<boolean> {
    const { changes } = await this.sql.run(
      `UPDATE csat_surveys SET status = 'answered', rating = ?, comment = ?, answered_at = ? WHERE workspace_id = ? AND id = ? AND status = 'asked'`,
      [rating, comment, at, workspaceId, surveyId],
    );
    return changes > 0;
  }

  /** Adds the comment a customer wrote after their rating (WhatsApp, Instagram). */
  async addComment(workspaceId: string, surveyId: string, comment: string): Promise<void> {
    await this.sql.run(`UPDATE csat_surveys SET comment = ? WHERE workspace_id = ? AND id = ? AND comment IS NULL`, [comment, workspaceId, surveyId]);
  }

  /** Closes every survey unanswered past its time; answers how many. */
  async expire(now: string): Promise<number> {
    const { changes } = await this.sql.run(`UPDATE csat_surveys SET status = 'expired' WHERE status = 'asked' AND expires_at <= ?`, [now]);
    return changes;
  }

  /** Answers given in [from, to), newest first. */
  async answeredBetween(workspaceId: string, from: string, to: string): Promise<CsatSurvey[]> {
    const rows = await this.sql.all<SurveyRow>(
      `SELECT ${SURVEY_COLUMNS} FROM ${SURVEYS}
       WHERE s.workspace_id = ? AND s.status = 'answered' AND s.answered_at >= ? AND s.answered_at < ?
       ORDER BY s.answered_at DESC, s.id`,
      [workspaceId, from, to],
    );
    return rows.map(toSurvey);
  }

  /** Surveys asked in [from, to): how many, and how many expired unanswered. */
  async askedBetween(workspaceId: string, from: string, to: string): Promise<{ asked: number; expired: number }> {
    const row = await this.sql.get<{ asked: number; expired: number | null }>(
      `SELECT COUNT(*) AS asked, SUM(CASE WHEN status = 'expired' THEN 1 ELSE 0 END) AS expired
       FROM csat_surveys WHERE workspace_id = ? AND asked_at >= ? AND asked_at < ?`,
      [workspaceId, from, to],
    );
    return { asked: Number(row?.asked ?? 0), expired: Number(row?.expired ?? 0) };
  }
}
