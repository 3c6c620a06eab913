import {
  DEFAULT_WORKSPACE_SETTINGS, type Agent, type AgentRole, type Workspace, type WorkspaceSettings, type WorkspaceSettingsPatch,
} from '@charla/protocol';
import { isSupportedCountry } from 'libphonenumber-js';
import { CharlaFailure } from '../failure.js';
import { hashToken, newId, newToken, nowIso } from '../ids.js';
import type { Store } from '../store/index.js';
import { assertRole } from './actors.js';

export interface AgentSpec {
  name: string;
  email: string;
  role: AgentRole;
  avatarUrl?: string | null;
  /** The agent's API token; a fresh one when absent. Only its hash is stored. */
  token?: string;
}

export interface ProvisionedWorkspace {
  workspace: Workspace;
  agents: Array<{ agent: Agent; token: string }>;
}

/** Creates a workspace with its agents and their tokens. */
export async function createWorkspace(
  store: Store,
  spec: { name: string; widgetKey: string; greeting?: string | null; agents: AgentSpec[] } & Partial<Omit<WorkspaceSettings, 'name'>>,
): Promise<ProvisionedWorkspace> {
  const createdAt = nowIso();
  const workspace: Workspace = {
    id: newId('ws'),
    name: spec.name,
    widgetKey: spec.widgetKey,
    greeting: spec.greeting ?? null,
    defaultCountry: spec.defaultCountry ?? DEFAULT_WORKSPACE_SETTINGS.defaultCountry,
    timezone: spec.timezone ?? DEFAULT_WORKSPACE_SETTINGS.timezone,
    currency: spec.currency ?? DEFAULT_WORKSPACE_SETTINGS.currency,
    agentVisibility: spec.agentVisibility ?? DEFAULT_WORKSPACE_SETTINGS.agentVisibility,
    createdAt,
  };
  return store.transaction(async (scope) => {
    await scope.workspaces.insert(workspace);
    const agents: ProvisionedWorkspace['agents'] = [];
    for (const agentSpec of spec.agents) {
      const agent: Agent = {
        id: newId('ag'),
        workspaceId: workspace.id,
        name: agentSpec.name,
        email: agentSpec.email,
        role: agentSpec.role,
        avatarUrl: agentSpec.avatarUrl ?? null,
      };
      const token = agentSpec.token ?? newToken();
      await scope.workspaces.insertAgent(agent, hashToken(token), createdAt);
      agents.push({ agent, token });
    }
    return { workspace, agents };
  });
}

/** Replaces an agent's token (the old one stops working) and records who was given access. */
export async function rotateAgentToken(store: Store, agent: Agent, token: string = newToken()): Promise<string> {
  await store.transaction(async (scope) => {
    await scope.workspaces.setAgentTokenHash(agent.id, hashToken(token));
    await scope.audit.record({
      workspaceId: agent.workspaceId,
      actorKind: 'system',
      actorId: null,
      action: 'agent.token_rotated',
      targetKind: 'agent',
      targetId: agent.id,
    });
  });
  return token;
}

export function settingsOf(workspace: Workspace): WorkspaceSettings {
  const { name, defaultCountry, timezone, currency, agentVisibility } = workspace;
  return { name, defaultCountry, timezone, currency, agentVisibility };
}

/** `GET /api/v1/workspace` (admins): the workspace's name, country, time zone, currency and agent visibility. */
export async function getWorkspaceSettings(store: Store, admin: Agent): Promise<WorkspaceSettings> {
  assertRole(admin, 'admin');
  const workspace = await store.workspaces.byId(admin.workspaceId);
  if (!workspace) throw new CharlaFailure('not_found', 'Workspace not found');
  return settingsOf(workspace);
}

/** `PATCH /api/v1/workspace` (admins): changes some settings, audited; refused whole when one is wrong. */
export async function updateWorkspaceSettings(store: Store, admin: Agent, patch: WorkspaceSettingsPatch): Promise<WorkspaceSettings> {
  assertRole(admin, 'admin');
  // Every ISO country is accepted by the schema; phones can only be read where a numbering plan is known.
  if (patch.defaultCountry !== undefined && !isSupportedCountry(patch.defaultCountry)) {
    throw new CharlaFailure('invalid_payload', `defaultCountry: Charla cannot read the phone numbers of ${patch.defaultCountry}`);
  }
  return store.transaction(async (scope) => {
    const workspace = await scope.workspaces.byId(admin.workspaceId);
    if (!workspace) throw new CharlaFailure('not_found', 'Workspace not found');
    const settings = { ...settingsOf(workspace), ...patch };
    await scope.workspaces.updateSettings(workspace.id, settings);
    await scope.audit.record({
      workspaceId: workspace.id, actorKind: 'agent', actorId: admin.id, action: 'workspace.update', targetKind: 'workspace', targetId: workspace.id,
      data: { fields: Object.keys(patch) },
    });
    return settings;
  });
}
