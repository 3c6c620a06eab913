/**
 * Row-level security on PostgreSQL: a second wall between workspaces, behind the application's
 * own checks (every query already says `workspace_id = ?`).
 *
 * Every table with a `workspace_id` column (and `workspaces` itself, by `id`) gets the policy
 * `charla_workspace`: a row is visible and writable only when its workspace is the session
 * setting `charla.workspace_id`, or when `charla.platform` is `on` (the bypass, below). The
 * tables are FORCEd, so even their owner is held by the policy (superusers and roles with
 * BYPASSRLS never are: the server warns when it connects as one).
 *
 * The store sets the scope itself, per query: a query method called with a workspace (its first
 * argument, or the `workspaceId` of the first argument that has one) runs limited to that
 * workspace, so a statement that forgot its `workspace_id = ?` still cannot reach another
 * workspace's rows. A statement with no scope sees nothing and can write nothing.
 *
 * The bypass is explicit and audited: only the methods listed in `PLATFORM_PATHS` run with
 * `charla.platform = on`. Each is work that is cross-workspace by nature: finding the workspace
 * of a credential or of an incoming webhook, the cluster's job queue and sweeps, the platform
 * API, sealing secrets. Adding to this list is a security
 * decision; tests/server/row-security.test.ts pins it.
 */
import type { RowScope } from '../db.js';

/** Runs `fn` with its statements limited to `scope` (the PostgreSQL database's `within`). */
export type Within = <T>(scope: RowScope, fn: () => T) => T;

/** The query methods (domain.method) that see every workspace's rows: the audited bypass. */
export const PLATFORM_PATHS: ReadonlySet<string> = new Set([
  // Who is asking: a credential or a widget key names its workspace.
  'apiKeys.byHash',
  'apiKeys.touch',
  'workspaces.byWidgetKey',
  'workspaces.agentByTokenHash',
  'workspaces.setAgentTokenHash',
  'workspaces.insert',
  'platform.agentById',
  // Incoming webhooks: the channel account (a WhatsApp phone number id, a page id) names the workspace.
  'channels.settingsByAccount',
  'channels.allSettings',
  // Inbound email: an inbox (its address, its IMAP cursor) names the workspace.
  'channels.emailInbox',
  'channels.allEmailInboxes',
  'channels.emailCursor',
  'channels.saveEmailCursor',
  // The platform API (platform administrators, across workspaces).
  'platform.workspaces',
  'platform.insertAgent',
  'platform.updateAgent',
  // Sealing stored secrets under a new key, every workspace's.
  'channels.resealAll',
  'platform.resealAll',
  'webhooks.resealAll',
  // The cluster's job queue and its outgoing webhook deliveries.
  'jobs.get',
  'jobs.claim',
  'jobs.nextRunAt',
  'jobs.finish',
  'jobs.retryAt',
  'jobs.postpone',
  'jobs.bringForward',
  'jobs.pruneDone',
  'jobs.fail',
  'jobs.list',
  'webhooks.activeOf',
  'webhooks.deliveriesIn',
  'webhooks.pauseDeliveries',
  'webhooks.pruneDeliveries',
  'webhooks.attemptsOf',
  // Rows moved back by undoing a merge, by the keys its stored record (of one workspace) kept.
  'merges.moveRowsBack',
  // A team's members, by the team's id (checked to be the workspace's by the caller).
  'teams.setMembers',
  // The broadcast sender's recipients, by the recipient ids it claimed.
  'broadcasts.requeue',
  'broadcasts.markSent',
  'broadcasts.markFailed',
  'broadcasts.noteUncertain',
  'broadcasts.setStatus',
  // Periodic sweeps over every workspace (each then works inside one).
  'conversations.dueSnoozed',
  'csat.expire',
  'deals.workspacesWithAutomation',
  'identity.contactsSharingKeys',
  'idempotency.prune',
  'merges.deleteExpired',
  'privacy.retainingWorkspaces',
  'privacy.checkpoint',
  'routing.routedWorkspaces',
]);

/** Methods whose workspace comes after other arguments: the index where to start looking. */
const WORKSPACE_ARGUMENT: Readonly<Record<string, number>> = {
  'privacy.rowsOf': 1, // (table, workspaceId, contactId)
  'merges.insertRow': 1, // (table, row): the row's workspace_id
};

/**
 * The workspace a query method is about: its first argument when that is a string (every such
 * method takes the workspace first), else the `workspaceId` (or a row's `workspace_id`) of the
 * first argument that carries one. A row of no workspace (`workspaceId: null`) is platform data.
 */
export function scopeOfCall(args: readonly unknown[]): RowScope {
  const [first] = args;
  if (typeof first === 'string') return { workspaceId: first };
  for (const arg of args) {
    const holder = Array.isArray(arg) ? arg[0] : arg;
    if (typeof holder !== 'object' || holder === null) continue;
    const record = holder as { workspaceId?: unknown; workspace_id?: unknown };
    const workspaceId = 'workspaceId' in record ? record.workspaceId : record.workspace_id;
    if (typeof workspaceId === 'string') return { workspaceId };
    if (workspaceId === null) return 'platform';
  }
  return null;
}

/**
 * `queries` (a domain's query object) with every method run in its row scope: the platform's
 * when `domain.method` is in `PLATFORM_PATHS`, else the workspace it is called with. Nested
 * query objects (`deals.metrics`) are scoped the same way.
 */
export function rowScoped<T extends object>(queries: T, domain: string, within: Within): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(queries, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof property !== 'string' || value === null || (typeof value !== 'function' && typeof value !== 'object') || Array.isArray(value)) return value;
      if (!wrapped.has(property)) {
        const path = `${domain}.${property}`;
        if (typeof value === 'function') {
          const method = value as (...args: unknown[]) => unknown;
          const platform = PLATFORM_PATHS.has(path);
          const from = WORKSPACE_ARGUMENT[path] ?? 0;
          wrapped.set(property, (...args: unknown[]) => within(platform ? 'platform' : scopeOfCall(args.slice(from)), () => method.apply(target, args)));
        } else {
          wrapped.set(property, rowScoped(value as object, path, within));
        }
      }
      return wrapped.get(property);
    },
  });
}

/** The policy's condition on a table's workspace column. */
function visibleWhen(column: string): string {
  return `${column} = current_setting('charla.workspace_id', true) OR current_setting('charla.platform', true) = 'on'`;
}

/**
 * Puts every workspace-scoped table of the current schema under the policy (idempotent; tables
 * that later migrations add get it at the next start). Runs as the tables' owner.
 */
export const PROTECT_ROWS = `DO $$
DECLARE t record;
BEGIN
  FOR t IN
    SELECT c.relname AS table_name, a.attname AS column_name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
      EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'charla_workspace') AS has_policy
    FROM pg_class c
    JOIN pg_attribute a ON a.attrelid = c.oid AND NOT a.attisdropped
      AND (a.attname = 'workspace_id' OR (c.relname = 'workspaces' AND a.attname = 'id'))
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
  LOOP
    IF NOT t.has_policy THEN
      EXECUTE format('CREATE POLICY charla_workspace ON %I USING (${visibleWhen('%I').replace(/'/g, "''")}) WITH CHECK (${visibleWhen('%I').replace(/'/g, "''")})',
        t.table_name, t.column_name, t.column_name);
    END IF;
    IF NOT t.enabled THEN EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.table_name); END IF;
    IF NOT t.forced THEN EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t.table_name); END IF;
  END LOOP;
END $$`;

/** A role name as an SQL identifier. */
function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** What the server's role (not the owner) may do: read and write rows, never change the schema. */
export function grantsTo(role: string): string {
  const who = quoteIdentifier(role);
  return [
    `GRANT USAGE ON SCHEMA public TO ${who}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${who}`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${who}`,
  ].join(';\n');
}
