import type { Message } from '@charla/protocol';

/** What the virtualized history shows, in order: day separators, the unread marker, messages. */
export type ThreadRow =
  | { kind: 'day'; key: string; at: string }
  | { kind: 'unread'; key: 'unread'; count: number }
  | { kind: 'message'; key: string; message: Message };

/**
 * Builds the rows for a history (oldest first). `unread` customer messages at the end get an
 * "N new messages" marker before them.
 */
export function threadRows(messages: readonly Message[], unread: number): ThreadRow[] {
  const rows: ThreadRow[] = [];
  let unreadFrom = -1;
  if (unread > 0) {
    let seen = 0;
    for (let i = messages.length - 1; i >= 0; i--) {
      if (messages[i]!.direction === 'in' && ++seen === unread) {
        unreadFrom = i;
        break;
      }
    }
  }
  let lastDay = '';
  messages.forEach((message, index) => {
    const day = new Date(message.createdAt).toDateString();
    if (day !== lastDay) {
      rows.push({ kind: 'day', key: `day:${day}`, at: message.createdAt });
      lastDay = day;
    }
    if (index === unreadFrom) rows.push({ kind: 'unread', key: 'unread', count: unread });
    rows.push({ kind: 'message', key: message.clientId ?? message.id, message });
  });
  return rows;
}
