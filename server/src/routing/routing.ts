import {
  DEFAULT_ROUTING, routingSettingsSchema, slaCalendar,
  type Agent, type BusinessCalendar, type Conversation, type RoutingSettings, type SlaTargets, type SystemLine, type Team, type routingSettingsPatchSchema,
} from '@charla/protocol';
import { expireSurveys } from '../services/csat.js';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import type { Logger } from '../logger.js';
import { nowIso } from '../ids.js';
import { assertRole } from '../services/actors.js';
import { conversationChanged, recordSystemLine } from '../services/changes.js';
import { wakeSnoozed } from '../services/lifecycle.js';
import { notifyAssignment } from '../services/notifications.js';
import { weeklyHoursOf, widgetSettingsOf } from '../services/widget.js';
import type { SlaThresholds } from '../store/conversations.js';
import type { Store, StoreScope } from '../store/index.js';
import type { Leadership } from '../jobs/periodic.js';

type RoutingPatch = z.output<typeof routingSettingsPatchSchema>;

/** Who can take new work now — connected (in any server process) and not away: the socket layer answers. */
export type OnlineAgents = (workspaceId: string) => Promise<Set<string>>;

/** Settings read on the hot path (every opened conversation) are kept this long; a change here drops them at once. */
const SETTINGS_TTL_MS = 5_000;
const cache = new Map<string, { settings: RoutingSettings; at: number }>();

export async function routingSettingsOf(store: Pick<Store, 'routing'>, workspaceId: string): Promise<RoutingSettings> {
  const raw = await store.routing.settings(workspaceId);
  // Settings saved before a field existed get its default.
  const parsed = raw ? routingSettingsSchema.safeParse({ ...DEFAULT_ROUTING, ...(JSON.parse(raw) as object) }) : null;
  return parsed?.success ? parsed.data : DEFAULT_ROUTING;
}

/** The routing settings, from a short-lived cache (routing decisions, not the settings API). */
async function cachedSettings(store: Store, workspaceId: string): Promise<RoutingSettings> {
  const hit = cache.get(workspaceId);
  if (hit && Date.now() - hit.at < SETTINGS_TTL_MS) return hit.settings;
  const settings = await routingSettingsOf(store, workspaceId);
  cache.set(workspaceId, { settings, at: Date.now() });
  return settings;
}

export function getRouting(store: Store, agent: Agent): Promise<RoutingSettings> {
  assertRole(agent, 'admin');
  return routingSettingsOf(store, agent.workspaceId);
}

export async function updateRouting(store: Store, agent: Agent, patch: RoutingPatch): Promise<RoutingSettings> {
  assertRole(agent, 'admin');
  const saved = await store.transaction(async (scope) => {
    const settings = { ...(await routingSettingsOf(scope, agent.workspaceId)), ...patch };
    const teams = new Set((await scope.teams.list(agent.workspaceId)).map((team) => team.id));
    const unknown = [...settings.rules.map((rule) => rule.teamId), ...(settings.vip ? [settings.vip.teamId] : [])]
      .filter((id): id is string => id !== undefined && !teams.has(id));
    if (unknown.length > 0) throw new CharlaFailure('invalid_payload', `Unknown team: ${[...new Set(unknown)].join(', ')}`);
    await scope.routing.saveSettings(agent.workspaceId, JSON.stringify(settings), nowIso());
    return settings;
  });
  cache.delete(agent.workspaceId);
  return saved;
}

/** How the workspace's SLA targets count time: wall clock, or its business hours (widget settings' time zone and week). */
export async function slaCalendarOf(store: Store, workspaceId: string, sla: SlaTargets): Promise<BusinessCalendar> {
  if (!sla.businessHours) return slaCalendar(sla, null);
  const { settings } = await widgetSettingsOf(store, workspaceId);
  return slaCalendar(sla, weeklyHoursOf(settings));
}

const money = (amount: number, currency: string) => `${currency} ${amount.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;

/** Where routing sends a conversation: a team and/or a skill its assignee needs, and the thread's lines saying why. */
interface Destination {
  teamId?: string | undefined;
  skill?: string | undefined;
  why: (team: string) => SystemLine;
  whySkill?: SystemLine;
}

/**
 * Where a conversation that has neither a team nor a needed skill goes, and why: VIP routing
 * first (the contact's lifetime value reaches the threshold), then the rules in order (channel,
 * label, detected topic), each sending to a team, asking for a skill, or both.
 */
async function destinationFor(scope: StoreScope, settings: RoutingSettings, conversation: Conversation): Promise<Destination | null> {
  if (settings.vip) {
    const { minLifetimeValue, currency, teamId } = settings.vip;
    const value = (await scope.deals.lifetimeValue(conversation.workspaceId, conversation.contactId))[currency] ?? 0;
    if (value >= minLifetimeValue) return { teamId, why: (team) => ({ key: 'routed_vip', values: { team, value: money(value, currency) } }) };
  }
  let topics: string[] | null = null;
  for (const rule of settings.rules) {
    const to = { teamId: rule.teamId, skill: rule.skill };
    if ('channel' in rule && rule.channel === conversation.channel) {
      return {
        ...to,
        why: (team) => ({ key: 'routed_channel', values: { team, channel: rule.channel } }),
        ...(rule.skill ? { whySkill: { key: 'skill_channel', values: { skill: rule.skill, channel: rule.channel } } } : {}),
      };
    }
    if ('label' in rule && conversation.labels.includes(rule.label)) {
      return {
        ...to,
        why: (team) => ({ key: 'routed_label', values: { team, label: rule.label } }),
        ...(rule.skill ? { whySkill: { key: 'skill_label', values: { skill: rule.skill, label: rule.label } } } : {}),
      };
    }
    if ('topic' in rule) {
      topics ??= (await scope.ai.insight(conversation.workspaceId, conversation.id))?.insight.topics ?? [];
      if (topics.includes(rule.topic)) {
        return {
          ...to,
          why: (team) => ({ key: 'routed_topic', values: { team, topic: rule.topic } }),
          ...(rule.skill ? { whySkill: { key: 'skill_topic', values: { skill: rule.skill, topic: rule.topic } } } : {}),
        };
      }
    }
  }
  return null;
}

/**
 * Routes an open, unassigned conversation. First, when it has no team, VIP routing and the team
 * rules may give it one. Then, with round-robin, it goes to the agent who handled this customer
 * last (when `stickyAgent`), else to whoever's turn it is — the eligible agent routing served
 * longest ago. Eligible: available (connected, not away), not a viewer, in the conversation's
 * team when it has one, with the skill it needs when it needs one, and under `capacity`. Returns who got it, or null when nobody can take it now.
 */
export async function routeConversation(store: Store, online: OnlineAgents, workspaceId: string, conversationId: string): Promise<string | null> {
  const settings = await cachedSettings(store, workspaceId);
  const teamsFirst = settings.vip !== null || settings.rules.length > 0;
  if (settings.mode !== 'round-robin' && !teamsFirst) return null;
  const present = settings.mode === 'round-robin' ? await online(workspaceId) : new Set<string>();
  if (present.size === 0 && !teamsFirst) return null;
  return store.transaction(async (scope) => {
    let conversation = await scope.conversations.get(workspaceId, conversationId);
    if (!conversation || conversation.status !== 'open' || conversation.assigneeId) return null;
    let team: Team | undefined;
    if (teamsFirst && !conversation.teamId && !conversation.requiredSkill) {
      const found = await destinationFor(scope, settings, conversation);
      team = found?.teamId ? await scope.teams.get(workspaceId, found.teamId) : undefined;
      if (found && (team || found.skill)) {
        conversation = { ...conversation, teamId: team?.id ?? null, requiredSkill: found.skill ?? null, updatedAt: nowIso() };
        await scope.conversations.save(conversation);
        if (team) await recordSystemLine(scope, conversation, found.why(team.name));
        if (found.whySkill) await recordSystemLine(scope, conversation, found.whySkill);
        await conversationChanged(scope, conversation);
      }
    }
    if (settings.mode !== 'round-robin' || present.size === 0) return null;
    const [agents, load, turns] = await Promise.all([
      scope.workspaces.agents(workspaceId),
      scope.routing.openLoad(workspaceId),
      scope.routing.lastTurns(workspaceId),
    ]);
    // The team just given is known; one given earlier is read.
    if (!team && conversation.teamId) team = await scope.teams.get(workspaceId, conversation.teamId);
    const eligible = agents.filter(
      (agent) =>
        agent.role !== 'viewer' &&
        present.has(agent.id) &&
        (!team || team.agentIds.includes(agent.id)) &&
        (!conversation.requiredSkill || (agent.skills ?? []).includes(conversation.requiredSkill)) &&
        (settings.capacity === null || (load.get(agent.id) ?? 0) < settings.capacity),
    );
    if (eligible.length === 0) return null;
    let chosen: Agent | undefined;
    let key: SystemLine['key'] = 'assigned_round_robin';
    if (settings.stickyAgent) {
      const last = await scope.routing.lastAgentOf(workspaceId, conversation.contactId, conversation.id);
      chosen = eligible.find((agent) => agent.id === last);
      if (chosen) key = 'assigned_returning';
    }
    chosen ??= [...eligible].sort((a, b) => (turns.get(a.id) ?? '').localeCompare(turns.get(b.id) ?? '') || a.id.localeCompare(b.id))[0]!;
    const at = nowIso();
    const next = { ...conversation, assigneeId: chosen.id, updatedAt: at };
    await scope.conversations.save(next);
    await scope.routing.recordTurn(workspaceId, chosen.id, at);
    await recordSystemLine(scope, next, { key, values: { assignee: chosen.name } });
    await conversationChanged(scope, next);
    await notifyAssignment(scope, null, next);
    return chosen.id;
  });
}

const MINUTE = 60_000;

/**
 * Clock starts at or before which a clock is (or, with `marginMinutes`, soon will be) past its
 * target, per kind, counted on `calendar` (wall clock or business hours).
 */
export function slaThresholds(sla: SlaTargets, calendar: BusinessCalendar, now: number, marginMinutes = 0): SlaThresholds {
  const before = (minutes: number | null) => {
    const at = minutes === null ? null : calendar.subtract(now + marginMinutes * MINUTE, minutes * MINUTE);
    return at === null ? null : new Date(at).toISOString();
  };
  return { first: before(sla.firstResponseMinutes), next: before(sla.nextResponseMinutes), resolution: before(sla.resolutionMinutes) };
}

/** The thread line of a breach of one kind of target. */
const breachLine = (kind: 'first' | 'next' | 'resolution', minutes: number | null, sla: SlaTargets): SystemLine => ({
  key: `sla_${kind}_breached${sla.businessHours ? '_business' : ''}`,
  values: { minutes: minutes ?? 0 },
});

/** Marks one conversation breached in its own transaction (re-read and guarded), with a thread line, live. */
async function markBreach(store: Store, workspaceId: string, id: string, mark: (scope: StoreScope, conversation: Conversation, at: string) => Promise<SystemLine | null>, now: number): Promise<boolean> {
  return store.transaction(async (scope) => {
    const conversation = await scope.conversations.get(workspaceId, id);
    if (!conversation) return false;
    const at = new Date(now).toISOString();
    const line = await mark(scope, conversation, at);
    if (line === null) return false;
    const marked = (await scope.conversations.get(workspaceId, id))!;
    await recordSystemLine(scope, marked, line);
    await conversationChanged(scope, marked);
    return true;
  });
}

/**
 * Records each clock that went past its target, once: a line in the thread ("First response SLA
 * breached") and the conversation's `slaBreachedAt` (the current wait) or `resolutionBreachedAt`,
 * live for every agent. Targets count wall-clock time or, when set so, the workspace's business
 * hours. Returns how many.
 */
export async function recordBreaches(store: Store, now = Date.now()): Promise<number> {
  let breached = 0;
  for (const { workspace_id: workspaceId } of await store.routing.routedWorkspaces()) {
    const { sla } = await routingSettingsOf(store, workspaceId);
    if (sla.firstResponseMinutes === null && sla.nextResponseMinutes === null && sla.resolutionMinutes === null) continue;
    const thresholds = slaThresholds(sla, await slaCalendarOf(store, workspaceId, sla), now);
    for (const id of await store.conversations.newlyBreached(workspaceId, thresholds.first, thresholds.next, 200)) {
      const done = await markBreach(store, workspaceId, id, async (scope, conversation, at) => {
        if (!conversation.waitingSince || conversation.slaBreachedAt) return null;
        await scope.conversations.markBreached(workspaceId, id, at);
        return conversation.firstReplyAt ? breachLine('next', sla.nextResponseMinutes, sla) : breachLine('first', sla.firstResponseMinutes, sla);
      }, now);
      if (done) breached += 1;
    }
    if (!thresholds.resolution) continue;
    for (const id of await store.conversations.newlyPastResolution(workspaceId, thresholds.resolution, 200)) {
      const done = await markBreach(store, workspaceId, id, async (scope, conversation, at) => {
        if (conversation.status === 'resolved' || conversation.resolutionBreachedAt) return null;
        await scope.conversations.markResolutionBreached(workspaceId, id, at);
        return breachLine('resolution', sla.resolutionMinutes, sla);
      }, now);
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
    const hours = settings.autoResolveHours;
    if (!hours) continue;
    const before = new Date(now - hours * 3_600_000).toISOString();
    for (const id of await store.routing.idle(workspaceId, before, 200)) {
      const done = await store.transaction(async (scope) => {
        const conversation = await scope.conversations.get(workspaceId, id);
        if (!conversation || (conversation.status !== 'open' && conversation.status !== 'pending') || conversation.waitingSince) return false;
        if (!conversation.lastMessageAt || conversation.lastMessageAt >= before) return false;
        const next = { ...conversation, status: 'resolved' as const, updatedAt: nowIso() };
        await scope.conversations.save(next);
        await recordSystemLine(scope, next, { key: 'auto_resolved', values: { hours } });
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
export function startRouting(
  store: Store,
  online: OnlineAgents,
  logger: Logger,
  periodic: { leadership: Leadership; everyMs?: number },
): { stop(): Promise<void>; poke(workspaceId: string): void } {
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const run = (work: () => Promise<unknown>) => {
    chain = chain.then(() => (stopped ? undefined : work())).catch((error: unknown) => logger.error('Routing failed', error));
  };
  const routeWaiting = async (workspaceId: string) => {
    for (const id of await store.routing.unassigned(workspaceId, 100)) await routeConversation(store, online, workspaceId, id);
  };
  const unlisten = store.onCommit((entries) => {
    for (const { workspaceId, event } of entries) {
      if (event.type === 'conversation.upserted') {
        const { conversation } = event.data;
        if (conversation.status === 'open' && !conversation.assigneeId) run(() => routeConversation(store, online, workspaceId, conversation.id));
      } else if (event.type === 'ai.insight.upserted') {
        // Detected topics may match a team rule.
        const { conversationId } = event.data.insight;
        run(() => routeConversation(store, online, workspaceId, conversationId));
      }
    }
  });
  const sweep = async () => {
    // Once per cluster: a process that does not lead leaves it to the one that does.
    if (!(await periodic.leadership.leads())) return;
    for (const { workspace_id: workspaceId } of await store.routing.routedWorkspaces()) await routeWaiting(workspaceId);
    await wakeSnoozed(store);
    await autoResolve(store);
    await expireSurveys(store);
    await recordBreaches(store);
  };
  run(sweep);
  const timer = setInterval(() => run(sweep), periodic.everyMs ?? 30_000);
  timer.unref();
  return {
    /** Someone became available in the workspace: hand out what waits. */
    poke(workspaceId) {
      run(() => routeWaiting(workspaceId));
    },
    async stop() {
      unlisten();
      clearInterval(timer);
      await chain;
      stopped = true;
    },
  };
}
