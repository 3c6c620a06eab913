import { defineGroup } from '../i18n/strings.js';

/** Shared strings of the composer. groups, in English; the other languages load on demand. */
const en = {
  'composer.reply': 'Reply',
  'composer.note': 'Note',
  'composer.mode': 'Message type',
  'composer.placeholderReply': 'Write a reply… (Enter sends, Shift+Enter adds a line)',
  'composer.placeholderNote': 'Write a private note for your team…',
  'composer.send': 'Send',
  'composer.addNote': 'Add note',
  'composer.viewer': 'You have read-only access to this workspace.',
  'composer.canned': 'Canned responses',
  'composer.windowOpen': 'Reply window closes in {hours} h',
  'composer.windowClosed': 'More than 24 hours since the customer last wrote: WhatsApp only allows an approved template.',
  'composer.instagramClosed': 'More than 7 days since the customer last wrote: Instagram allows no reply until they write again. You can still add notes.',
  'composer.messengerClosed': 'More than 7 days since the customer last wrote: Messenger allows no reply until they write again. You can still add notes.',
  'composer.noTemplates': 'No approved templates yet. An admin can sync them from WhatsApp.',
  'composer.template': 'Template',
  'composer.preview': 'Preview',
  'composer.sendTemplate': 'Send template',
  'composer.mentions': 'Mention a teammate',
  'composer.tooLong': '{count} characters over the limit',
  'composer.suggest': 'Suggest replies',
  'composer.suggesting': 'Thinking of replies…',
  'composer.suggestions': 'Suggested replies',
  'composer.suggestFailed': 'No suggestions: {reason}',
  'composer.sources': 'From {list}',
  'composer.sourceKnowledge': 'knowledge',
  'composer.sourceCanned': 'canned reply',
  'composer.sourceProfile': 'profile',
  'composer.sourceDeal': 'deal',
  'composer.useSuggestion': 'Use this reply: {text}',
  'composer.subject': 'Subject',
  'composer.subjectDefault': 'Re: the customer’s subject',
  'composer.cc': 'CC',
  'composer.ccHint': 'Addresses separated by commas',
  'composer.ccInvalid': 'Not an email address: {value}',
} as const;

export type ComposerKey = keyof typeof en;

export const composerStrings = defineGroup<ComposerKey>(en, { es: () => import('./composer.es.js'), pt: () => import('./composer.pt.js') });
