import type { Agent, AgentRole } from '@charla/protocol';
import { CharlaFailure } from '../failure.js';

/** A webchat visitor, as authenticated on the /visitor namespace. */
export interface Visitor {
  id: string;
  workspaceId: string;
  contactId: string;
  /** The bearer token the visitor presented or was just given (never stored in clear). */
  token: string;
  /** The site user id this session proved with a valid hash (`identify`); null: anonymous. */
  siteUser: string | null;
}

const ROLE_RANK: Record<AgentRole, number> = { viewer: 0, agent: 1, admin: 2 };

/** Viewers read; agents also write; admins also delete. */
export function assertRole(agent: Agent, minimum: AgentRole): void {
  if (ROLE_RANK[agent.role] < ROLE_RANK[minimum]) {
    throw new CharlaFailure('forbidden', `This needs the ${minimum} role; ${agent.name} is ${agent.role === 'admin' ? 'an' : 'a'} ${agent.role}`);
  }
}
