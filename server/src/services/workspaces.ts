import type { Agent, AgentRole, Workspace } from '@charla/protocol';
import { hashToken, newId, newToken, nowIso } from '../ids.js';
import type { Store } from '../store/index.js';

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
  spec: { name: string; widgetKey: string; greeting?: string | null; agents: AgentSpec[] },
): Promise<ProvisionedWorkspace> {
  const createdAt = nowIso();
  const workspace: Workspace = {
    id: newId('ws'),
    name: spec.name,
    widgetKey: spec.widgetKey,
    greeting: spec.greeting ?? null,
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
