import { nowIso } from '../ids.js';
import type { Store } from '../store/index.js';
import { conversationChanged, recordSystemLine } from './changes.js';

/**
 * Opens snoozed conversations whose time has come, each with a line in the thread. Safe to run
 * from several processes: each conversation is re-read and changed inside its own transaction.
 * Returns how many woke up.
 */
export async function wakeSnoozed(store: Store, now = nowIso()): Promise<number> {
  let woken = 0;
  for (const { workspaceId, id } of await store.conversations.dueSnoozed(now, 500)) {
    const changed = await store.transaction(async (scope) => {
      const conversation = await scope.conversations.get(workspaceId, id);
      if (!conversation || conversation.status !== 'snoozed' || !conversation.snoozedUntil || conversation.snoozedUntil > now) return false;
      const next = { ...conversation, status: 'open' as const, snoozedUntil: null, updatedAt: nowIso() };
      await scope.conversations.save(next);
      await recordSystemLine(scope, next, { key: 'snooze_ended', values: {} });
      await conversationChanged(scope, next);
      return true;
    });
    if (changed) woken += 1;
  }
  return woken;
}
