/**
 * Periodic work that must run once per cluster (the routing sweep with SLA breaches, snoozes and
 * auto-resolve; the silent-deal sweep; the retention sweep) asks `leads()` at each tick: only the process that holds
 * the store's leadership runs it, and another takes over at its next tick when that one is gone.
 */
import type { Logger } from '../logger.js';
import type { Store } from '../store/index.js';

export interface Leadership {
  /** Whether this process runs the cluster's periodic work now (taking it over if free). */
  leads(): Promise<boolean>;
}

export function clusterLeadership(store: Store, logger: Logger): Leadership {
  let leading: boolean | null = null;
  return {
    async leads() {
      const now = await store.leads();
      // Said when it changes, and only where there can be more than one process.
      if (now !== leading && store.engine === 'postgres') {
        logger.info(now ? 'This process runs the periodic work (routing sweep, SLA, snoozes, auto-resolve, deal reminders, retention)' : 'Another process runs the periodic work');
      }
      leading = now;
      return now;
    },
  };
}
