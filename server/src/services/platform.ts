/**
 * The platform API's work: the host's backend creates workspaces and provisions their agents,
 * and signs agent tokens itself with the workspace's signing secret (Charla never owns passwords).
 */
import { randomBytes } from 'node:crypto';
import {
  AGENT_ROLES, countryCodeSchema, currencyCodeSchema, skillsSchema, timeZoneSchema, workspaceSettingsPatchSchema, type AgentRole, type Workspace,
} from '@charla/protocol';
import { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { newId, newToken, nowIso } from '../ids.js';
import type { Store, StoreScope } from '../store/index.js';
import type { ProvisionedAgent } from '../store/platform.js';
import { conversationChanged, recordSystemLine } from './changes.js';
import { createWorkspace, settingsOf } from './workspaces.js';

export const platformWorkspaceSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    defaultCountry: countryCodeSchema.optional(),
    timezone: timeZoneSchema.optional(),
    currency: currencyCodeSchema.optional(),
  })
  .strict();

export const platformAgentSchema = z
  .object({
    /** The host's own id of this person: asking again with it answers the same agent. */
    externalId: z.string().trim().min(1).max(200),
    name: z.string().trim().min(1).max(200),
    email: z.string().trim().toLowerCase().email().max(320),
    role: z.enum(AGENT_ROLES),
    avatarUrl: z.string().url().startsWith('https://').max(2000).nullable().optional(),
    /** Teams of the workspace (made by its admins) the agent belongs to; on a change, exactly these. */
    teamIds: z.array(z.string().min(1).max(100)).max(100).optional(),
    /** What routing may ask of them ("portugués", "mayoreo"); on a change, exactly these. */
    skills: skillsSchema.optional(),
  })
  .strict();

export const platformAgentPatchSchema = platformAgentSchema
  .omit({ externalId: true })
  .partial()
  .extend({ active: z.boolean().optional() })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one of name, email, role, avatarUrl, teamIds, skills, active');

/** A secret for HS256 (256 bits, base64url). */
export const newSigningSecret = () => randomBytes(32).toString('base64url');

export interface PlatformHooks {
  /** An agent was deactivated: close their connections at once. */
  agentDeactivated(agent: ProvisionedAgent): void;
  /** Conversations went back to routing. */
  rerouted(workspaceId: string): void;
}

async function requireWorkspace(store: Store, workspaceId: string): Promise<Workspace> {
  const workspace = await store.workspaces.byId(workspaceId);
  if (!workspace) throw new CharlaFailure('not_found', 'Workspace not found');
  return workspace;
}

async function requireAgent(store: Store, workspaceId: string, agentId: string): Promise<ProvisionedAgent> {
  await requireWorkspace(store, workspaceId);
  const agent = await store.platform.agent(workspaceId, agentId);
  if (!agent) throw new CharlaFailure('not_found', 'Agent not found');
  return agent;
}

export async function createPlatformWorkspace(store: Store, request: z.output<typeof platformWorkspaceSchema>) {
  const { workspace } = await createWorkspace(store, { ...request, widgetKey: newToken().slice(0, 24), agents: [] });
  const signingSecret = newSigningSecret();
  await store.platform.setSigningSecrets(workspace.id, signingSecret, null);
  return { workspace: { ...workspace, signingSecret } };
}

export async function listPlatformWorkspaces(store: Store) {
  return { workspaces: await store.platform.workspaces() };
}

export async function getPlatformWorkspace(store: Store, workspaceId: string) {
  return { workspace: await requireWorkspace(store, workspaceId) };
}

export async function updatePlatformWorkspace(store: Store, workspaceId: string, patch: z.output<typeof workspaceSettingsPatchSchema>) {
  const workspace = await requireWorkspace(store, workspaceId);
  const settings = { ...settingsOf(workspace), ...patch };
  await store.workspaces.updateSettings(workspaceId, settings);
  return { workspace: { ...workspace, ...settings } };
}

export async function deletePlatformWorkspace(store: Store, workspaceId: string): Promise<void> {
  await requireWorkspace(store, workspaceId);
  await store.transaction((scope) => scope.platform.deleteWorkspace(workspaceId));
}

/** A new signing secret; the one it replaces keeps working until dropped, so nobody is signed out. */
export async function rotateSigningSecret(store: Store, workspaceId: string) {
  await requireWorkspace(store, workspaceId);
  const [current] = await store.platform.signingSecrets(workspaceId);
  const signingSecret = newSigningSecret();
  await store.platform.setSigningSecrets(workspaceId, signingSecret, current ?? null);
  return { signingSecret };
}

/** Tokens signed with the replaced secret stop working. */
export async function dropPreviousSigningSecret(store: Store, workspaceId: string): Promise<void> {
  await requireWorkspace(store, workspaceId);
  const [current] = await store.platform.signingSecrets(workspaceId);
  if (current) await store.platform.setSigningSecrets(workspaceId, current, null);
}

export const publicAgent = ({ id, workspaceId, name, email, role, avatarUrl, skills, externalId, deactivatedAt }: ProvisionedAgent) => ({
  id, workspaceId, name, email, role, avatarUrl, skills: skills ?? [], externalId, active: deactivatedAt === null,
});

/** The agent as the platform API answers it, with its teams. */
async function answerAgent(scope: Pick<StoreScope, 'teams'>, agent: ProvisionedAgent) {
  return { ...publicAgent(agent), teamIds: await scope.teams.teamIdsOf(agent.workspaceId, agent.id) };
}

/** Puts the agent in exactly these teams, each of which must be the workspace's. */
async function setTeams(scope: StoreScope, workspaceId: string, agentId: string, teamIds: string[]): Promise<void> {
  const known = new Set((await scope.teams.list(workspaceId)).map((team) => team.id));
  const unknown = teamIds.filter((teamId) => !known.has(teamId));
  if (unknown.length > 0) throw new CharlaFailure('invalid_payload', `teamIds: no team ${unknown.join(', ')} in this workspace`);
  await scope.teams.setTeamsOf(workspaceId, agentId, [...new Set(teamIds)]);
}

/** Creates the agent, or answers the one the host already provisioned with this external id (`created: false`). */
export async function provisionAgent(store: Store, workspaceId: string, request: z.output<typeof platformAgentSchema>) {
  await requireWorkspace(store, workspaceId);
  return store.transaction(async (scope) => {
    const existing = await scope.platform.agentByExternalId(workspaceId, request.externalId);
    if (existing) return { agent: await answerAgent(scope, existing), created: false };
    const agent = await insertNewAgent(scope, workspaceId, request, request.externalId, null);
    if (request.teamIds) await setTeams(scope, workspaceId, agent.id, request.teamIds);
    return { agent: await answerAgent(scope, agent), created: true };
  });
}

/**
 * A new active agent of the workspace (its email free there), recorded in the audit log as the
 * work of `actorId` (an admin) or of the host's backend (null).
 */
export async function insertNewAgent(
  scope: StoreScope,
  workspaceId: string,
  fields: { name: string; email: string; role: AgentRole; avatarUrl?: string | null | undefined; skills?: string[] | undefined },
  externalId: string | null,
  actorId: string | null,
): Promise<ProvisionedAgent> {
  if (await scope.workspaces.agentByEmail(workspaceId, fields.email)) {
    throw new CharlaFailure('conflict', 'email: Another agent of this workspace has this email');
  }
  const agent = { id: newId('ag'), workspaceId, name: fields.name, email: fields.email, role: fields.role, avatarUrl: fields.avatarUrl ?? null, skills: fields.skills ?? [] };
  await scope.platform.insertAgent(agent, externalId, nowIso());
  await scope.audit.record({
    workspaceId, actorKind: actorId ? 'agent' : 'system', actorId, action: 'agent.provisioned', targetKind: 'agent', targetId: agent.id,
  });
  return { ...agent, externalId, deactivatedAt: null };
}

export async function listProvisionedAgents(store: Store, workspaceId: string) {
  await requireWorkspace(store, workspaceId);
  const [agents, teams] = await Promise.all([store.platform.agents(workspaceId), store.teams.list(workspaceId)]);
  return { agents: agents.map((agent) => ({ ...publicAgent(agent), teamIds: teams.filter((team) => team.agentIds.includes(agent.id)).map((team) => team.id) })) };
}

/**
 * Changes an agent. `active: false` deactivates them: they cannot sign in any more, their
 * connections close at once, and their open conversations go back to routing.
 */
export async function updateProvisionedAgent(
  store: Store,
  workspaceId: string,
  agentId: string,
  patch: z.output<typeof platformAgentPatchSchema>,
  hooks: PlatformHooks,
) {
  const before = await requireAgent(store, workspaceId, agentId);
  const released = await store.transaction(async (scope) => {
    const fields = {
      name: patch.name ?? before.name,
      email: patch.email ?? before.email,
      role: patch.role ?? before.role,
      avatarUrl: patch.avatarUrl !== undefined ? patch.avatarUrl : before.avatarUrl,
      skills: patch.skills ?? before.skills ?? [],
    };
    if (fields.email !== before.email) {
      const holder = await scope.workspaces.agentByEmail(workspaceId, fields.email);
      if (holder && holder.id !== agentId) throw new CharlaFailure('conflict', 'email: Another agent of this workspace has this email');
    }
    await scope.platform.updateAgent(workspaceId, agentId, fields);
    if (patch.teamIds) await setTeams(scope, workspaceId, agentId, patch.teamIds);
    if (patch.active === true && before.deactivatedAt) await scope.platform.reactivateAgent(workspaceId, agentId);
    if (patch.active !== false || before.deactivatedAt) return 0;
    await scope.platform.deactivateAgent(workspaceId, agentId, nowIso());
    await scope.audit.record({ workspaceId, actorKind: 'system', actorId: null, action: 'agent.deactivated', targetKind: 'agent', targetId: agentId });
    // Their conversations that still need someone go back to routing.
    const assigned = await scope.conversations.list(workspaceId, { status: 'all', assigneeId: agentId }, null, 10_000);
    let count = 0;
    for (const conversation of assigned.filter((c) => c.status !== 'resolved')) {
      const next = { ...conversation, assigneeId: null, updatedAt: nowIso() };
      await scope.conversations.save(next);
      await recordSystemLine(scope, next, { key: 'unassigned', values: { actor: 'Charla' } });
      await conversationChanged(scope, next);
      count += 1;
    }
    return count;
  });
  const after = (await store.platform.agent(workspaceId, agentId))!;
  if (patch.active === false && !before.deactivatedAt) {
    hooks.agentDeactivated(after);
    if (released > 0) hooks.rerouted(workspaceId);
  }
  return { agent: await answerAgent(store, after) };
}
