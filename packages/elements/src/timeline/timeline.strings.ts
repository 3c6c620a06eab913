import { defineStrings } from '../i18n/strings.js';

const en = {
  feed: 'Timeline',
  filters: 'Show',
  'group.message': 'Messages',
  'group.note': 'Notes',
  'group.deal': 'Deals',
  'group.task': 'Tasks',
  'group.money': 'Purchases and payments',
  'group.merge': 'Merges',
  'group.ai': 'AI insights',
  'kind.messageIn': 'Message from {actor}',
  'kind.messageOut': 'Reply by {actor}',
  'kind.messagePrivate': 'Private note by {actor}',
  'kind.note': 'Note by {actor}',
  'kind.deal': 'Deal created',
  'kind.stage': 'Deal moved',
  'kind.won': 'Deal won',
  'kind.lost': 'Deal lost',
  'kind.taskCreated': 'Task created',
  'kind.taskDone': 'Task done',
  'kind.purchase': 'Purchase',
  'kind.payment': 'Payment',
  'kind.invoice': 'Invoice',
  'kind.invoicePaid': 'Invoice (paid)',
  'kind.claim': 'Claim',
  'kind.merge': 'Contacts merged',
  'kind.unmerge': 'Merge undone',
  'kind.insight': 'AI summary',
  'kind.csat': 'Rated the conversation {rating}/5',
  someone: 'someone',
  byRule: 'automatic: {rule}',
  'rule.qualify': 'Qualified conversation → new deal',
  'rule.quote': 'Quote sent → proposal',
  'rule.reply': 'Customer replied after a proposal → negotiation',
  'rule.followUp': 'Follow up after a proposal',
  'rule.reactivate': 'Reactivate a silent conversation',
  undo: 'Undo',
  undone: 'Undone',
  empty: 'Nothing here yet',
  loading: 'Loading…',
  error: 'The timeline could not be loaded',
  loadMore: 'Load older',
} as const;

export type TimelineString = keyof typeof en;

/**
 * Automation rules are stored on timeline items by their English name (server RULES in
 * services/automation.ts); the names this version knows are said in the agent's language.
 */
const RULE_KEYS: Record<string, TimelineString> = {
  [en['rule.qualify']]: 'rule.qualify',
  [en['rule.quote']]: 'rule.quote',
  [en['rule.reply']]: 'rule.reply',
  [en['rule.followUp']]: 'rule.followUp',
  [en['rule.reactivate']]: 'rule.reactivate',
};

/** The string key of a rule's stored name, when it is one of Charla's own rules. */
export function ruleKey(name: string): TimelineString | undefined {
  return RULE_KEYS[name];
}

/** The component's own strings, kept beside it; `{name}` placeholders are filled from `values`. */
export const timelineString = defineStrings<TimelineString>('timeline', en, {
  es: () => import('./timeline.es.js'),
  pt: () => import('./timeline.pt.js'),
});
