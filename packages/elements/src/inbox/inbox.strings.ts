import { defineGroup } from '../i18n/strings.js';

/** Shared strings of the inbox., filter. groups, in English; the other languages load on demand. */
const en = {
  'inbox.label': 'Conversations',
  'inbox.search': 'Search name, phone, email or message',
  'inbox.empty': 'No conversations here',
  'inbox.emptySearch': 'No conversations match “{query}”',
  'inbox.error': 'Conversations could not be loaded',
  'inbox.loadMore': 'Load more',
  'inbox.unassigned': 'Unassigned',
  'inbox.assignedTo': '{name} is handling this',
  'inbox.moreLabels': '{count} more labels: {labels}',
  'inbox.waiting': 'waiting {time}',
  'inbox.unread': '{count} unread',
  'inbox.slaBreached': 'SLA breached',
  'inbox.slaLeft': 'SLA in {time}',
  'inbox.unknownContact': 'Unknown contact',
  'inbox.webVisitor': 'Web visitor',
  'filter.assignee': 'Assignee',
  'filter.mine': 'Mine',
  'filter.channel': 'Channel',
  'filter.team': 'Team',
  'filter.sla': 'SLA',
  'filter.breaching': 'Breaching soon',
  'filter.priority': 'Priority',
  'filter.label': 'Label',
} as const;

export type InboxKey = keyof typeof en;

export const inboxStrings = defineGroup<InboxKey>(en, { es: () => import('./inbox.es.js'), pt: () => import('./inbox.pt.js') });
