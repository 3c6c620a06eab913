/** Who is calling (agents by token, visitors by widget key and token) and what a session starts with. */
import {
  agentAuthSchema, visitorAuthSchema,
  type Agent, type AgentSession, type SyncResult, type VisitorSession, type VisitorSyncResult,
} from '@charla/protocol';
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { CharlaFailure } from '../failure.js';
import { isApiKey } from './api-keys.js';
import { routingSettingsOf } from '../routing/routing.js';
import { hashToken, newId, newToken, nowIso } from '../ids.js';
import type { Store, VisitorRecord } from '../store/index.js';
import type { Visitor } from './actors.js';
import { newContact } from './entities.js';
import { serviceLevelsOf } from './service-levels.js';
import { visibilityLimitOf } from './visibility.js';
import { availabilityOf, widgetSettingsOf } from './widget.js';

/** The longest an agent token the host signs may live. */
const SIGNED_TOKEN_MAX_SECONDS = 24 * 60 * 60;
const CLOCK_SKEW_SECONDS = 60;
const SIGNED_TOKEN = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * An agent token the host's backend signed (JWT, HS256, `sub` the agent id, `exp` at most 24 h
 * ahead) with its workspace's signing secret, the current one or the one it replaced. Anything
 * else — another algorithm, `alg: none`, expired, another workspace's secret, a deactivated
 * agent — is refused; an expired one says so (`token_expired`), so the client can fetch a new one.
 */
async function agentOfSignedToken(store: Store, token: string): Promise<Agent> {
  const refused = new CharlaFailure('unauthorized', 'This token is not valid');
  let subject: string | undefined;
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== 'HS256') throw refused;
    subject = decodeJwt(token).sub;
  } catch {
    throw refused;
  }
  const agent = subject ? await store.platform.agentById(subject) : undefined;
  if (!agent || agent.deactivatedAt) throw refused;
  let lastError: unknown = refused;
  for (const secret of await store.platform.signingSecrets(agent.workspaceId)) {
    try {
      const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
        algorithms: ['HS256'], requiredClaims: ['exp', 'sub'], clockTolerance: CLOCK_SKEW_SECONDS,
      });
      if (payload.exp! - Date.now() / 1000 > SIGNED_TOKEN_MAX_SECONDS + CLOCK_SKEW_SECONDS) {
        throw new CharlaFailure('unauthorized', 'This token lives longer than 24 hours: sign tokens that expire sooner');
      }
      const { externalId: _externalId, deactivatedAt: _deactivatedAt, ...plain } = agent;
      return plain;
    } catch (error) {
      if (error instanceof CharlaFailure) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new CharlaFailure('unauthorized', 'This token has expired', { reason: 'token_expired' });
      lastError = refused;
    }
  }
  throw lastError;
}

export async function authenticateAgent(store: Store, auth: unknown): Promise<Agent> {
  const parsed = agentAuthSchema.safeParse(auth);
  if (!parsed.success) throw new CharlaFailure('unauthorized', 'An agent token is required');
  if (isApiKey(parsed.data.token)) throw new CharlaFailure('unauthorized', 'API keys open the REST API only; agents connect with an agent token');
  if (SIGNED_TOKEN.test(parsed.data.token)) return agentOfSignedToken(store, parsed.data.token);
  const agent = await store.workspaces.agentByTokenHash(hashToken(parsed.data.token));
  if (!agent) throw new CharlaFailure('unauthorized', 'This token is not valid');
  return agent;
}

/**
 * When a connection opened with this (already verified) signed token must end: its `exp` plus the
 * clock skew allowed. Undefined for API tokens, which do not expire.
 */
export function agentTokenEndsAt(auth: unknown): number | undefined {
  const parsed = agentAuthSchema.safeParse(auth);
  if (!parsed.success || !SIGNED_TOKEN.test(parsed.data.token)) return undefined;
  const { exp } = decodeJwt(parsed.data.token);
  return typeof exp === 'number' ? (exp + CLOCK_SKEW_SECONDS) * 1000 : undefined;
}

export async function agentSession(store: Store, agent: Agent): Promise<AgentSession> {
  const [workspace, agents, teams, routing, widget, seq] = await Promise.all([
    store.workspaces.byId(agent.workspaceId),
    store.workspaces.agents(agent.workspaceId),
    store.teams.list(agent.workspaceId),
    routingSettingsOf(store, agent.workspaceId),
    widgetSettingsOf(store, agent.workspaceId),
    store.workspaces.lastSeq(agent.workspaceId),
  ]);
  if (!workspace) throw new CharlaFailure('unauthorized', 'The workspace no longer exists');
  return { agent, workspace, agents, teams, ...serviceLevelsOf(routing, widget.settings), seq };
}

/** How long a session that proved a site user lasts without being used, unless configured. */
export const VISITOR_SESSION_TTL_MS = 24 * 60 * 60 * 1000;
/** A proven session's last use is written at most this often (not on every request). */
const ACTIVITY_STEP_MS = 60_000;

type SessionState = Pick<VisitorRecord, 'siteUser' | 'activeAt'>;

/**
 * A proven session unused for `ttlMs` has expired: its token is then only an anonymous
 * visitor's, so a captured token (or hash) is not a lasting credential. Anonymous sessions
 * prove nothing and never expire.
 */
function expired(session: SessionState, ttlMs: number, now: number): boolean {
  return session.siteUser !== null && (session.activeAt === null || Date.parse(session.activeAt) + ttlMs <= now);
}

/** Slides a proven session's expiry: using it keeps it alive. */
async function markUsed(store: Store, workspaceId: string, visitorId: string, session: SessionState, now: number): Promise<void> {
  if (session.siteUser === null) return;
  if (session.activeAt === null || now - Date.parse(session.activeAt) >= ACTIVITY_STEP_MS) {
    await store.widget.touchVisitor(workspaceId, visitorId, new Date(now).toISOString());
  }
}

/**
 * The visitor holding `auth.token` on the workspace with widget key `auth.workspace`. Without a
 * token, or with one the server does not know (expired storage, a deleted contact) or whose
 * proven session expired (`ttlMs` without use), a new visitor is created: an anonymous contact
 * with a webchat identity, and a fresh token.
 */
export async function authenticateVisitor(store: Store, auth: unknown, ttlMs: number): Promise<Visitor> {
  const { workspace: widgetKey, token } = parseVisitorAuth(auth);
  const workspace = await store.workspaces.byWidgetKey(widgetKey);
  if (!workspace) throw new CharlaFailure('not_found', `No workspace has the widget key "${widgetKey}"`);
  if (token) {
    const known = await store.workspaces.visitorByTokenHash(workspace.id, hashToken(token));
    const now = Date.now();
    if (known && !expired(known, ttlMs, now)) {
      await markUsed(store, workspace.id, known.id, known, now);
      return { id: known.id, workspaceId: known.workspaceId, contactId: known.contactId, siteUser: known.siteUser, token };
    }
  }
  const visitorId = newId('vis');
  const contact = newContact({ workspaceId: workspace.id, identities: [{ channel: 'webchat', handle: visitorId }] });
  const visitor: Visitor = { id: visitorId, workspaceId: workspace.id, contactId: contact.id, token: newToken(), siteUser: null };
  await store.transaction(async (scope) => {
    await scope.contacts.insert(contact);
    await scope.workspaces.insertVisitor({ ...visitor, activeAt: null }, hashToken(visitor.token), nowIso());
  });
  return visitor;
}

/**
 * The visitor as they are at this request on an open connection (identify may have moved the
 * session to another contact). A session whose token was replaced (identify proved a site user
 * in another tab) or that expired has ended for this connection: the client connects again.
 */
export async function resumeVisitor(store: Store, visitor: Visitor, ttlMs: number): Promise<Visitor> {
  const session = await store.widget.visitorSession(visitor.workspaceId, visitor.id);
  const now = Date.now();
  if (!session || session.tokenHash !== hashToken(visitor.token) || expired(session, ttlMs, now)) {
    throw new CharlaFailure('unauthorized', 'This visitor session has ended; connect again');
  }
  await markUsed(store, visitor.workspaceId, visitor.id, session, now);
  return { ...visitor, contactId: session.contactId, siteUser: session.siteUser };
}

function parseVisitorAuth(auth: unknown): { workspace: string; token?: string } {
  const parsed = visitorAuthSchema.safeParse(auth);
  if (parsed.success) return parsed.data;
  const workspace = visitorAuthSchema.shape.workspace.safeParse((auth as { workspace?: unknown } | null)?.workspace);
  if (!workspace.success) throw new CharlaFailure('invalid_payload', 'auth.workspace: The widget key is required');
  // A malformed token is as good as none: the visitor starts over.
  return { workspace: workspace.data };
}

/** `agentsOnline`: whether an agent of the workspace is connected now (the socket layer knows). */
export async function visitorSession(store: Store, visitor: Visitor, agentsOnline: boolean): Promise<VisitorSession> {
  const [workspace, agents, conversation, seq, widget] = await Promise.all([
    store.workspaces.byId(visitor.workspaceId),
    store.workspaces.agents(visitor.workspaceId),
    store.widget.latestVisitorConversation(visitor.workspaceId, visitor),
    store.workspaces.lastSeq(visitor.workspaceId),
    widgetSettingsOf(store, visitor.workspaceId),
  ]);
  if (!workspace) throw new CharlaFailure('not_found', 'The workspace no longer exists');
  return {
    token: visitor.token,
    contactId: visitor.contactId,
    conversation: conversation
      ? { id: conversation.id, status: conversation.status, assigneeId: conversation.assigneeId }
      : null,
    workspace: { name: workspace.name, greeting: workspace.greeting },
    agents: agents
      .filter((agent) => agent.role !== 'viewer')
      .map((agent) => ({ id: agent.id, name: agent.name, avatarUrl: agent.avatarUrl })),
    seq,
    verified: visitor.siteUser !== null,
    availability: availabilityOf(widget.settings, agentsOnline),
  };
}

/** What the agent missed since `since`, without what happened in conversations they may not see. */
export async function agentSync(store: Store, agent: Agent, since: number): Promise<SyncResult> {
  return store.events.since(agent.workspaceId, since, undefined, await visibilityLimitOf(store, agent));
}

export function visitorSync(store: Store, visitor: Visitor, since: number): Promise<VisitorSyncResult> {
  return store.events.sinceForVisitor(visitor.workspaceId, visitor, since);
}
