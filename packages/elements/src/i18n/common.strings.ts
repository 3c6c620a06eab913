import { defineGroup } from './strings.js';

/** Shared strings of the status., channel., common., connection., priority., time. groups, in English; the other languages load on demand. */
const en = {
  'status.open': 'Open',
  'status.pending': 'Pending',
  'status.snoozed': 'Snoozed',
  'status.resolved': 'Resolved',
  'status.all': 'All',
  'time.now': 'now',
  'common.retry': 'Retry',
  'common.loading': 'Loading…',
  'connection.connecting': 'Connecting…',
  'connection.reconnecting': 'Connection lost. Reconnecting — nothing you send will be lost.',
  'connection.unauthorized': 'Your session is not valid. Sign in again.',
  'channel.webchat': 'Web chat',
  'channel.whatsapp': 'WhatsApp',
  'channel.instagram': 'Instagram',
  'channel.messenger': 'Messenger',
  'channel.email': 'Email',
  'channel.phone': 'Phone',
  'priority.none': 'No priority',
  'priority.low': 'Low priority',
  'priority.medium': 'Medium priority',
  'priority.high': 'High priority',
  'priority.urgent': 'Urgent',
} as const;

export type CommonKey = keyof typeof en;

export const commonStrings = defineGroup<CommonKey>(en, { es: () => import('./common.es.js'), pt: () => import('./common.pt.js') });
