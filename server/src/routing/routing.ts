import { DEFAULT_ROUTING, routingSettingsSchema, type Agent, type RoutingSettings, type routingSettingsPatchSchema } from '@charla/protocol';
import type { z } from 'zod';
import type { Logger } from '../logger.js';
import { nowIso } from '../ids.js';
import { assertRole } from '../services/actors.js';
import { conversationChanged, recordSystemLine } from '../services/changes.js';
import { wakeSnoozed } from '../services/lifecycle.js';
import { notifyAssignment } from '../services/notifications.js';
import type { Store } from '../store/index.js';

type RoutingPatch = z.output<typeof routingSettingsPatchSchema>;

/** Who is connected now (in any server process): the socket layer answers. */
export type OnlineAgents = (workspaceId: string) => Promise<Set<string>>;

export async function routingSettingsOf(store: Pick<Store, 'routing'>, workspaceId: string): Promise<RoutingSettings> {
  const raw = await store.routing.settings(workspaceId);
  // Settings saved before a field existed get its default.
  const parsed = raw ? routingSettingsSchema.safeParse({ ...DEFAULT_ROUTING, ...(JSON.parse(raw) as object) }) : null;
  return parsed?.success ? parsed.data : DEFAULT_ROUTING;
}

export function getRouting(store: Store, agent: Agent): Promise<RoutingSettings> {
  assertRole(agent, 'admin');
  return routingSettingsOf(store, agent.workspaceId);
}

export async function updateRouting(store: Store, agent: Agent, patch: RoutingPatch): Promise<RoutingSettings> {
  assertRole(agent, 'admin');
  return store.transaction(async (scope) => {
    const settings = { ...(await routingSettingsOf(scope, agent.workspaceId)), ...patch };
    await scope.routing.saveSettings(agent.workspaceId, JSON.stringify(settings), nowIso());
    return settings;
  });
}

/**
 * Gives an open, unassigned conversation to an online agent: the one who handled this customer
 * last (when `stickyAgent`), else whoever's turn it is — the eligible agent routing served
 * longest ago. Eligible: online, not a viewer, in the conversation's team when it has one, and
 * under `capacity`. Returns who got it, or null when nobody can take it now.
 */
export async function routeConversation(store: Store, online: OnlineAgents, workspaceId: string, conversationId: string): Promise<string | null> {
  const settings = await routingSettingsOf(store, workspaceId);
  if (settings.mode !== 'round-robin') return null;
  const present = await online(workspaceId);
  if (present.size === 0) return null;
  return store.transaction(async (scope) => {
    const conversation = await scope.conversations.get(workspaceId, conversationId);
    if (!conversation || conversation.status !== 'open' || conversation.assigneeId) return null;
    const [agents, teams, load, turns] = await Promise.all([
      scope.workspaces.agents(workspaceId),
      scope.teams.list(workspaceId),
      scope.routing.openLoad(workspaceId),
      scope.routing.lastTurns(workspaceId),
    ]);
    const team = conversation.teamId ? teams.find((t) => t.id === conversation.teamId) : undefined;
    const eligible = agents.filter(
      (agent) =>
        agent.role !== 'viewer' &&
        present.has(agent.id) &&
        (!team || team.agentIds.includes(agent.id)) &&
        (settings.capacity === null || (load.get(agent.id) ?? 0) < settings.capacity),
    );
    if (eligible.length === 0) return null;
    let chosen: Agent | undefined;
    let reason = 'round-robin';
    if (settings.stickyAgent) {
      const last = await scope.routing.lastAgentOf(workspaceId, conversation.contactId, conversation.id);
      chosen = eligible.find((agent) => agent.id === last);
      if (chosen) reason = 'returning customer';
    }
    chosen ??= [...eligible].sort((a, b) => (turns.get(a.id) ?? '').localeCompare(turns.get(b.id) ?? '') || a.id.localeCompare(b.id))[0]!;
    const at = nowIso();
    const next = { ...conversation, assigneeId: chosen.id, updatedAt: at };
    await scope.conversations.save(next);
    await scope.routing.recordTurn(workspaceId, chosen.id, at);
    await recordSystemLine(scope, next, `Assigned to ${chosen.name} by ${reason}`);
    await conversationChanged(scope, next);
    await notifyAssignment(scope, null, next);
    return chosen.id;
  });
}

/** Wait starts before which a wait is (or, with `marginMinutes`, soon will be) past its target. */
export function slaThresholds(sla: RoutingSettings['sla'], now: number, marginMinutes = 0): { first: string | null; next: string | null } {
  const before = (minutes: number | null) => (minutes === null ? null : new Date(now - (minutes - marginMinutes) * 60_000).toISOString());
  return { first: before(sla.firstResponseMinutes), next: before(sla.nextResponseMinutes) };
}

/**
 * Records each wait that went past its target, once: a line in the thread ("First response SLA
 * breached") and the conversation's `slaBreachedAt`, live for every agent. Returns how many.
 */
export async function recordBreaches(store: Store, now = Date.now()): Promise<number> {
  let breached = 0;
  for (const { workspace_id: workspaceId } of await store.routing.routedWorkspaces()) {
    const { sla } = await routingSettingsOf(store, workspaceId);
    const { first, next } = slaThresholds(sla, now);
    for (const id of await store.conversations.newlyBreached(workspaceId, first, next, 200)) {
      const done = await store.transaction(async (scope) => {
        const conversation = await scope.conversations.get(workspaceId, id);
        if (!conversation?.waitingSince || conversation.slaBreachedAt) return false;
        const at = new Date(now).toISOString();
        const kind = conversation.firstReplyAt ? 'Next response' : 'First response';
        const target = conversation.firstReplyAt ? sla.nextResponseMinutes : sla.firstResponseMinutes;
        await scope.conversations.markBreached(workspaceId, id, at);
        const marked = { ...conversation, slaBreachedAt: at };
        await recordSystemLine(scope, marked, `${kind} SLA breached (target ${target} min)`);
        await conversationChanged(scope, marked);
        return true;
      });
      if (done) breached += 1;
    }
  }
  return breached;
}

/** Resolves conversations idle longer than the workspace's `autoResolveHours` (the customer owes the answer). */
export async function autoResolve(store: Store, now = Date.now()): Promise<number> {
  let resolved = 0;
  for (const { workspace_id: workspaceId } of await store.routing.routedWorkspaces()) {
    const settings = await routingSettingsOf(store, workspaceId);
    if (!settings.autoResolveHours) continue;
    const before = new Date(now - settings.autoResolveHours * 3_600_000).toISOString();
    for (const id of await store.routing.idle(workspaceId, before, 200)) {
      const done = await store.transaction(async (scope) => {
        const conversation = await scope.conversations.get(workspaceId, id);
        if (!conversation || (conversation.status !== 'open' && conversation.status !== 'pending') || conversation.waitingSince) return false;
        if (!conversation.lastMessageAt || conversation.lastMessageAt >= before) return false;
        const next = { ...conversation, status: 'resolved' as const, updatedAt: nowIso() };
        await scope.conversations.save(next);
        await recordSystemLine(scope, next, `Resolved automatically after ${settings.autoResolveHours} idle hours`);
        await conversationChanged(scope, next);
        return true;
      });
      if (done) resolved += 1;
    }
  }
  return resolved;
}

/**
 * Routes conversations as they open (after each commit) and every half minute (for those that
 * found nobody online); the same sweep wakes snoozed conversations, resolves idle ones and
 * records SLA breaches. One chain of work per process; each decision is
 * its own transaction that re-reads the conversation, so processes do not double-assign.
 */
export function startRouting(store: Store, online: OnlineAgents, logger: Logger): { stop(): Promise<void> } {
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const run = (work: () => Promise<unknown>) => {
    chain = chain.then(() => (stopped ? undefined : work())).catch((error: unknown) => logger.error('Routing failed', error));
  };
  const unlisten = store.onCommit((entries) => {
    for (const { workspaceId, event } of entries) {
      if (event.type !== 'conversation.upserted') continue;
      const { conversation } = event.data;
      if (conversation.status === 'open' && !conversation.assigneeId) run(() => routeConversation(store, online, workspaceId, conversation.id));
    }
  });
  const sweep = async () => {
    for (const { workspace_id: workspaceId } of await store.routing.routedWorkspaces()) {
      for (const id of await store.routing.unassigned(workspaceId, 100)) await routeConversation(store, online, workspaceId, id);
    }
    await wakeSnoozed(store);
    await autoResolve(store);
    await recordBreaches(store);
  };
  run(sweep);
  const timer = setInterval(() => run(sweep), 30_000);
  timer.unref();
  return {
    async stop() {
      unlisten();
      clearInterval(timer);
      await chain;
      stopped = true;
    },
  };
}
