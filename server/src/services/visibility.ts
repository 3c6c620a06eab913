/**
 * Which conversations an agent sees. With the workspace's `agentVisibility: 'teams'`, agents and
 * viewers see the conversations assigned to them, those of their teams and those of no team yet
 * (new ones before routing gives them a team, so nothing falls between teams); admins see all.
 * A hidden conversation answers like one that does not exist.
 */
import type { Agent, Conversation } from '@charla/protocol';
import { notFound } from '../failure.js';
import type { StoreScope } from '../store/index.js';
import { requireConversation } from './changes.js';

/** The agent's id when they see only their teams' conversations; undefined when they see all. */
export async function visibilityLimitOf(scope: StoreScope, agent: Agent): Promise<string | undefined> {
  if (agent.role === 'admin') return undefined;
  const workspace = await scope.workspaces.byId(agent.workspaceId);
  return workspace?.agentVisibility === 'teams' ? agent.id : undefined;
}

/** The conversation, when it exists and the agent may see it; not found otherwise. */
export async function requireVisibleConversation(scope: StoreScope, agent: Agent, conversationId: string): Promise<Conversation> {
  const conversation = await requireConversation(scope, agent.workspaceId, conversationId);
  const limit = await visibilityLimitOf(scope, agent);
  if (limit !== undefined && !(await scope.conversations.visibleAmong(agent.workspaceId, limit, [conversation.id])).has(conversation.id)) {
    throw notFound('Conversation');
  }
  return conversation;
}

/** Of `ids` (conversations of the agent's workspace), the ones the agent may see. */
export async function visibleConversationIds(scope: StoreScope, agent: Agent, ids: readonly string[]): Promise<Set<string>> {
  const limit = await visibilityLimitOf(scope, agent);
  return limit === undefined ? new Set(ids) : scope.conversations.visibleAmong(agent.workspaceId, limit, ids);
}

/**
 * Who may see a conversation: undefined when every agent of the workspace may, else the ids of
 * those who may (for live signals that are not in the change log, like typing).
 */
export async function conversationAudience(scope: StoreScope, workspaceId: string, conversationId: string): Promise<string[] | undefined> {
  const workspace = await scope.workspaces.byId(workspaceId);
  if (workspace?.agentVisibility !== 'teams') return undefined;
  return (await scope.conversations.audiences(workspaceId, [conversationId])).get(conversationId) ?? [];
}
