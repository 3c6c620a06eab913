/**
 * API keys: long-lived credentials for a workspace's own servers to call the REST API
 * (`Authorization: Bearer chk_…`). Admins create and revoke them; a key is shown once and stored
 * only as its SHA-256. A key acts as the admin who created it, with its own role at most, so what
 * it writes is attributed to a real agent; the creator's deactivation or demotion applies to it.
 */
import { AGENT_ROLES, type Agent, type AgentRole } from '@charla/protocol';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { hashToken, newId, nowIso } from '../ids.js';
import type { ApiKeyRecord } from '../store/api-keys.js';
import type { Store } from '../store/index.js';
import { assertRole } from './actors.js';

export const API_KEY_PREFIX = 'chk_';
/** `chk_` + 32 random bytes in base64url. */
const API_KEY = /^chk_[A-Za-z0-9_-]{43}$/;
/** How many characters of a key its listing shows. */
const SHOWN_PREFIX = API_KEY_PREFIX.length + 6;
/** A key's last use is written at most this often. */
const LAST_USED_STEP_MS = 60_000;
const MAX_KEYS_PER_WORKSPACE = 50;
const ROLE_RANK: Record<AgentRole, number> = { viewer: 0, agent: 1, admin: 2 };

export const apiKeyCreateSchema = z
  .object({
    name: z.string().trim().min(1, 'Give the key a name (what uses it)').max(100),
    role: z.enum(AGENT_ROLES).default('agent'),
  })
  .strict();

export type ApiKey = Omit<ApiKeyRecord, 'workspaceId'>;

const publicKey = ({ workspaceId: _workspaceId, ...key }: ApiKeyRecord): ApiKey => key;

export function isApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

export async function listApiKeys(store: Store, admin: Agent): Promise<{ apiKeys: ApiKey[] }> {
  assertRole(admin, 'admin');
  return { apiKeys: (await store.apiKeys.list(admin.workspaceId)).map(publicKey) };
}

export async function createApiKey(store: Store, admin: Agent, input: z.output<typeof apiKeyCreateSchema>): Promise<{ apiKey: ApiKey; key: string }> {
  assertRole(admin, 'admin');
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record: ApiKeyRecord = {
    id: newId('key'),
    workspaceId: admin.workspaceId,
    name: input.name,
    role: input.role,
    prefix: key.slice(0, SHOWN_PREFIX),
    createdBy: admin.id,
    createdAt: nowIso(),
    lastUsedAt: null,
  };
  await store.transaction(async (scope) => {
    if ((await scope.apiKeys.count(admin.workspaceId)) >= MAX_KEYS_PER_WORKSPACE) {
      throw new CharlaFailure('conflict', `A workspace holds at most ${MAX_KEYS_PER_WORKSPACE} API keys: revoke one you no longer use`);
    }
    await scope.apiKeys.insert(record, hashToken(key));
    await scope.audit.record({
      workspaceId: admin.workspaceId, actorKind: 'agent', actorId: admin.id, action: 'api_key.create',
      targetKind: 'api_key', targetId: record.id, data: { name: record.name, role: record.role },
    });
  });
  return { apiKey: publicKey(record), key };
}

export async function revokeApiKey(store: Store, admin: Agent, id: string): Promise<void> {
  assertRole(admin, 'admin');
  await store.transaction(async (scope) => {
    if (!(await scope.apiKeys.revoke(admin.workspaceId, id, nowIso()))) throw new CharlaFailure('not_found', 'No such API key');
    await scope.audit.record({
      workspaceId: admin.workspaceId, actorKind: 'agent', actorId: admin.id, action: 'api_key.revoke', targetKind: 'api_key', targetId: id,
    });
  });
}

/**
 * The caller behind an API key: its creator, with the key's role at most. A revoked key, or one
 * whose creator was deactivated, is refused at once (nothing is cached).
 */
export async function agentOfApiKey(store: Store, key: string): Promise<Agent> {
  const refused = new CharlaFailure('unauthorized', 'This API key is not valid (revoked, or never issued)');
  if (!API_KEY.test(key)) throw refused;
  const record = await store.apiKeys.byHash(hashToken(key));
  if (!record) throw refused;
  const creator = await store.platform.agent(record.workspaceId, record.createdBy);
  if (!creator || creator.deactivatedAt) throw new CharlaFailure('unauthorized', 'The admin who created this API key was deactivated');
  const now = Date.now();
  if (record.lastUsedAt === null || now - Date.parse(record.lastUsedAt) >= LAST_USED_STEP_MS) {
    await store.apiKeys.touch(record.id, new Date(now).toISOString());
  }
  const { externalId: _externalId, deactivatedAt: _deactivatedAt, ...agent } = creator;
  return { ...agent, role: ROLE_RANK[record.role] < ROLE_RANK[creator.role] ? record.role : creator.role };
}
