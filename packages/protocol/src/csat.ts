/**
 * Satisfaction surveys (CSAT): once an agent resolves a conversation, the customer is asked to
 * rate it from 1 to 5 and may add a comment, on the channel they wrote on.
 */
import { z } from 'zod';
import { CSAT_COMMENT_MAX, CSAT_LANGUAGES, CSAT_QUESTION_MAX, type CsatLanguage } from './csat-constants.js';

export * from './csat-constants.js';

export const csatSettingsPatchSchema = z
  .object({
    enabled: z.boolean().optional(),
    /** `null` (or an empty text) for a language goes back to the default question. */
    questions: z
      .object(
        Object.fromEntries(CSAT_LANGUAGES.map((language) => [language, z.string().trim().max(CSAT_QUESTION_MAX, `Write the question in at most ${CSAT_QUESTION_MAX} characters`).nullable().optional()])) as Record<
          CsatLanguage,
          z.ZodOptional<z.ZodNullable<z.ZodString>>
        >,
      )
      .strict()
      .optional(),
    channelLanguage: z.enum(CSAT_LANGUAGES).optional(),
    expiresHours: z.number().int('expiresHours must be a whole number of hours').min(1).max(720).optional(),
  })
  .strict();
export type CsatSettingsPatch = z.input<typeof csatSettingsPatchSchema>;

export const CSAT_STATUSES = ['asked', 'answered', 'expired'] as const;
export type CsatStatus = (typeof CSAT_STATUSES)[number];

/** One survey: asked once per resolution, answered once. */
export interface CsatSurvey {
  id: string;
  conversationId: string;
  contactId: string;
  channel: string;
  /** The agent the conversation was assigned to when it was resolved (whom the rating is about). */
  agentId: string | null;
  status: CsatStatus;
  rating: number | null;
  comment: string | null;
  askedAt: string;
  answeredAt: string | null;
  expiresAt: string;
}

/** The words of the widget's survey card (sent with the survey, so the widget's own bundle carries none). */
export interface CsatCardWords {
  /** A star's name for screen readers; `{rating}` is replaced. */
  stars: string;
  comment: string;
  send: string;
  thanks: string;
  closed: string;
}

export const CSAT_CARD_WORDS: Record<CsatLanguage, CsatCardWords> = {
  en: { stars: '{rating} of 5 stars', comment: 'Anything to add? (optional)', send: 'Send rating', thanks: 'Thanks for your rating!', closed: 'This survey has closed.' },
  es: { stars: '{rating} de 5 estrellas', comment: '¿Algo que agregar? (opcional)', send: 'Enviar calificación', thanks: '¡Gracias por tu calificación!', closed: 'Esta encuesta ya cerró.' },
  pt: { stars: '{rating} de 5 estrelas', comment: 'Algo a acrescentar? (opcional)', send: 'Enviar avaliação', thanks: 'Obrigado pela sua avaliação!', closed: 'Esta pesquisa foi encerrada.' },
};

/** What a survey message carries in `content.csat` (the widget draws its card from it). */
export interface CsatQuestionContent {
  surveyId: string;
  /** The question in every language, so the widget asks in the visitor's. */
  questions: Record<CsatLanguage, string>;
  /** The card's words in every language. */
  words: Record<CsatLanguage, CsatCardWords>;
  expiresAt: string;
}

/** The visitor answers the widget's card (`csat.submit` on the visitor socket). */
export const csatSubmitSchema = z
  .object({
    surveyId: z.string().min(1).max(64),
    rating: z.number().int('rating must be a whole number from 1 to 5').min(1, 'rating must be from 1 to 5').max(5, 'rating must be from 1 to 5'),
    comment: z.string().trim().max(CSAT_COMMENT_MAX, `Write the comment in at most ${CSAT_COMMENT_MAX} characters`).optional(),
  })
  .strict();
export type CsatSubmitRequest = z.input<typeof csatSubmitSchema>;

/** `csat.submitted` on the change log (and to webhooks). */
export interface CsatSubmittedData {
  survey: CsatSurvey;
}

// ---------------------------------------------------------------- the metric

/** Ratings of one group: how many, their mean, and the CSAT score (share of 4 and 5, in %). */
export interface CsatGroup {
  key: string;
  responses: number;
  /** Mean rating to two decimals; null without responses. */
  average: number | null;
  /** Percentage of responses rating 4 or 5, to one decimal; null without responses. */
  score: number | null;
  /** Responses per rating, 1 to 5. */
  distribution: [number, number, number, number, number];
}

/** One answer, listed behind the numbers (drill-down to the conversation). */
export interface CsatResponse {
  surveyId: string;
  conversationId: string;
  contactId: string;
  channel: string;
  agentId: string | null;
  rating: number;
  comment: string | null;
  answeredAt: string;
}

export interface CsatMetricResult {
  name: 'csat';
  from: string;
  to: string;
  groupBy: 'none' | 'channel' | 'agent' | 'day';
  unit: 'rating';
  overall: CsatGroup;
  groups: CsatGroup[];
  /** Surveys asked in the range, and of those how many expired unanswered. */
  asked: number;
  expired: number;
  /** The answers in the range, newest first (at most 500). */
  responses: CsatResponse[];
}

/** `payload` of a survey answer on WhatsApp (list row id) and Instagram (quick reply): `csat:<surveyId>:<rating>`. */
export function csatReplyPayload(surveyId: string, rating: number): string {
  return `csat:${surveyId}:${rating}`;
}

export function parseCsatReplyPayload(payload: unknown): { surveyId: string; rating: number } | null {
  if (typeof payload !== 'string') return null;
  const match = /^csat:([A-Za-z0-9_-]{1,64}):([1-5])$/.exec(payload);
  return match ? { surveyId: match[1]!, rating: Number(match[2]) } : null;
}
