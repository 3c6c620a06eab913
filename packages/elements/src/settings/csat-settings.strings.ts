import { defineStrings } from '../i18n/strings.js';

const en = {
  enabled: 'Ask customers to rate resolved conversations',
  enabledHint: 'On the widget as a card with stars, on WhatsApp as a list, on Instagram as quick replies. Conversations resolved automatically are not asked.',
  questions: 'The question, per language',
  questionsHint: 'Left empty, the default question (shown greyed) is asked. The widget asks in the visitor\'s language.',
  'question.es': 'Spanish',
  'question.en': 'English',
  'question.pt': 'Portuguese',
  tooLong: 'At most {max} characters ({count} now)',
  channelLanguage: 'Language on WhatsApp and Instagram',
  expiresHours: 'An unanswered survey closes after (hours, 1–720)',
};
export type CsatSettingsString = keyof typeof en;

/** Strings of the Satisfaction surveys settings section; `{name}` placeholders are filled from `values`. */
export const csatSettingsString = defineStrings<CsatSettingsString>('csatSettings', en, {
  es: () => import('./csat-settings.es.js'),
  pt: () => import('./csat-settings.pt.js'),
});
