/**
 * Satisfaction surveys' constants and settings, without zod: front-end bundles (the settings
 * section, the widget) import them without pulling the schema library (see ./csat.ts).
 */
export const CSAT_LANGUAGES = ['en', 'es', 'pt'] as const;
export type CsatLanguage = (typeof CSAT_LANGUAGES)[number];

/** Channels a survey is sent on: the widget as a card, WhatsApp as a list, Instagram as quick replies. */
export const CSAT_CHANNELS = ['webchat', 'whatsapp', 'instagram'] as const;

export const CSAT_RATINGS = [1, 2, 3, 4, 5] as const;
export const CSAT_COMMENT_MAX = 1000;
export const CSAT_QUESTION_MAX = 300;
/** A survey nobody answered this long after it was asked is closed (default; settable 1–720 h). */
export const CSAT_EXPIRES_HOURS_DEFAULT = 72;

/** What the question says when the workspace did not write its own. */
export const CSAT_DEFAULT_QUESTIONS: Record<CsatLanguage, string> = {
  en: 'How would you rate the help you received?',
  es: '¿Cómo calificarías la atención que recibiste?',
  pt: 'Como você avalia o atendimento que recebeu?',
};

/** The five answers as channels show them (a WhatsApp list row, an Instagram quick reply). */
export const CSAT_RATING_LABELS: Record<CsatLanguage, readonly [string, string, string, string, string]> = {
  en: ['Very bad', 'Bad', 'Okay', 'Good', 'Excellent'],
  es: ['Muy mala', 'Mala', 'Regular', 'Buena', 'Excelente'],
  pt: ['Muito ruim', 'Ruim', 'Regular', 'Boa', 'Excelente'],
};

export interface CsatSettings {
  enabled: boolean;
  /** The question per language; a language left out asks the default question. */
  questions: Partial<Record<CsatLanguage, string>>;
  /** The language of the question on WhatsApp and Instagram (the widget asks in the visitor's). */
  channelLanguage: CsatLanguage;
  /** Hours an unanswered survey stays open. */
  expiresHours: number;
}

export const CSAT_SETTINGS_DEFAULT: CsatSettings = { enabled: false, questions: {}, channelLanguage: 'es', expiresHours: CSAT_EXPIRES_HOURS_DEFAULT };
