import { Database, type Sql, type Transaction, type TransactionOptions } from '../db.js';
import { migrate, MIGRATION_LOCK, type MigrationTarget } from '../migrations.js';
import { grantsTo, PROTECT_ROWS, rowScoped, type Within } from './rls.js';
import { SecretBox, SecretKeeper } from '../secrets.js';
import { AiQueries } from './ai.js';
import { AuditQueries } from './audit.js';
import { CannedQueries } from './canned.js';
import { KnowledgeQueries } from './knowledge.js';
import { FollowUpQueries } from './follow-ups.js';
import { NotificationQueries } from './notifications.js';
import { TeamQueries } from './teams.js';
import { RoutingQueries } from './routing.js';
import { ChannelQueries } from './channels.js';
import { CompanyQueries, IdentityQueries, ImportQueries } from './identity.js';
import { JobQueries } from './jobs.js';
import { MergeQueries } from './merges.js';
import { ContactQueries } from './contacts.js';
import { ConversationQueries } from './conversations.js';
import { DealQueries } from './deals.js';
import { TimelineQueries } from './timeline.js';
import { EventQueries, type NewEvent, type StoredEvent } from './events.js';
import { MessageQueries } from './messages.js';
import { WidgetQueries } from './widget.js';
import { WorkspaceQueries } from './workspaces.js';
import { PlatformQueries } from './platform.js';
import { ApiKeyQueries } from './api-keys.js';
import { PrivacyQueries } from './privacy.js';
import { DirectoryQueries } from './directory.js';
import { BroadcastQueries } from './broadcasts.js';
import { WebhookQueries } from './webhooks.js';
import { IdempotencyQueries } from './idempotency.js';
import { ExternalRefQueries } from './external-refs.js';
import { CsatQueries } from './csat.js';

export type { ActivityCursor, ConversationFilter } from './conversations.js';
export type { ContactFields } from './contacts.js';
export { SEGMENT_RULES, type DirectoryContext, type ResolvedFilter, type StoredSegment } from './directory.js';
export type { EventVisibility, NewEvent, StoredEvent } from './events.js';
export { agentClientScope, visitorClientScope, type ClientScope } from './messages.js';
export type { AuditEntry } from './audit.js';
export { CONTACT_TABLES, type ContactTable, type StoredRow } from './privacy.js';
export type { DealFilter, TaskFilter } from './deals.js';
export type { StoredChannelSettings, StoredEmailInbox } from './channels.js';
export type { Job, JobState } from './jobs.js';
export type { InsightData, StoredInsight } from './ai.js';
export type { ImportedContact } from './identity.js';
export type { MergeSnapshot, RawRow, RowMove, StoredMerge } from './merges.js';
export type { VisitorRecord } from './workspaces.js';
export type { ExternalKind } from './external-refs.js';
export type { NewRecipient, QueuedRecipient } from './broadcasts.js';
export { toPublicDelivery, type StoredDelivery, type StoredWebhook } from './webhooks.js';
export { siteUserHandle, type WidgetRow } from './widget.js';
export { toVisitorEvent } from './events.js';
export { REPLY_WINDOW_MS, replyWindowEnd, toVisitorMessage } from './rows.js';

/**
 * Every query of the server, grouped by domain, bound to one SQL executor: the database for
 * reads, or an open transaction for writes. This module and its folder are the only place
 * with SQL.
 */
export class StoreScope {
  readonly workspaces: WorkspaceQueries;
  readonly platform: PlatformQueries;
  readonly apiKeys: ApiKeyQueries;
  readonly contacts: ContactQueries;
  readonly conversations: ConversationQueries;
  readonly messages: MessageQueries;
  readonly events: EventQueries;
  readonly audit: AuditQueries;
  readonly jobs: JobQueries;
  readonly channels: ChannelQueries;
  readonly identity: IdentityQueries;
  readonly companies: CompanyQueries;
  readonly imports: ImportQueries;
  readonly widget: WidgetQueries;
  readonly deals: DealQueries;
  readonly timeline: TimelineQueries;
  readonly canned: CannedQueries;
  readonly knowledge: KnowledgeQueries;
  readonly followUps: FollowUpQueries;
  readonly notifications: NotificationQueries;
  readonly teams: TeamQueries;
  readonly routing: RoutingQueries;
  readonly ai: AiQueries;
  readonly merges: MergeQueries;
  readonly privacy: PrivacyQueries;
  readonly directory: DirectoryQueries;
  readonly broadcasts: BroadcastQueries;
  readonly webhooks: WebhookQueries;
  readonly idempotency: IdempotencyQueries;
  readonly externalRefs: ExternalRefQueries;
  readonly csat: CsatQueries;
  readonly #afterCommit: (hook: () => void) => void;

  /**
   * With `within` (PostgreSQL), every query runs in its row scope (see rls.ts): the workspace it
   * is asked about, or the platform's for the audited cross-workspace paths.
   */
  constructor(sql: Sql, inTransaction = false, secrets = new SecretKeeper(), within?: Within) {
    const scoped = within ? <Q extends object>(queries: Q, domain: string): Q => rowScoped(queries, domain, within) : <Q>(queries: Q): Q => queries;
    this.#afterCommit = inTransaction ? (hook) => (sql as Transaction).afterCommit(hook) : (hook) => hook();
    this.workspaces = scoped(new WorkspaceQueries(sql), 'workspaces');
    this.platform = scoped(new PlatformQueries(sql, secrets), 'platform');
    this.apiKeys = scoped(new ApiKeyQueries(sql), 'apiKeys');
    this.contacts = scoped(new ContactQueries(sql), 'contacts');
    this.conversations = scoped(new ConversationQueries(sql), 'conversations');
    this.messages = scoped(new MessageQueries(sql), 'messages');
    this.events = scoped(new EventQueries(sql, inTransaction), 'events');
    this.audit = scoped(new AuditQueries(sql), 'audit');
    this.jobs = scoped(new JobQueries(sql), 'jobs');
    this.channels = scoped(new ChannelQueries(sql, secrets), 'channels');
    this.identity = scoped(new IdentityQueries(sql), 'identity');
    this.companies = scoped(new CompanyQueries(sql), 'companies');
    this.imports = scoped(new ImportQueries(sql), 'imports');
    this.widget = scoped(new WidgetQueries(sql), 'widget');
    this.deals = scoped(new DealQueries(sql), 'deals');
    this.timeline = scoped(new TimelineQueries(sql), 'timeline');
    this.canned = scoped(new CannedQueries(sql), 'canned');
    this.knowledge = scoped(new KnowledgeQueries(sql), 'knowledge');
    this.followUps = scoped(new FollowUpQueries(sql), 'followUps');
    this.notifications = scoped(new NotificationQueries(sql), 'notifications');
    this.teams = scoped(new TeamQueries(sql), 'teams');
    this.routing = scoped(new RoutingQueries(sql), 'routing');
    this.ai = scoped(new AiQueries(sql), 'ai');
    this.merges = scoped(new MergeQueries(sql), 'merges');
    this.privacy = scoped(new PrivacyQueries(sql), 'privacy');
    this.directory = scoped(new DirectoryQueries(sql), 'directory');
    this.broadcasts = scoped(new BroadcastQueries(sql), 'broadcasts');
    this.webhooks = scoped(new WebhookQueries(sql, secrets), 'webhooks');
    this.idempotency = scoped(new IdempotencyQueries(sql), 'idempotency');
    this.externalRefs = scoped(new ExternalRefQueries(sql), 'externalRefs');
    this.csat = scoped(new CsatQueries(sql), 'csat');
  }

  /**
   * Runs `hook` once what this scope wrote is committed: right away outside a transaction, after
   * the commit inside one (dropped on rollback). Hooks must not throw.
   */
  afterCommit(hook: () => void): void {
    this.#afterCommit(hook);
  }
}

/** Whether the connected role is held by row-level security (superusers and BYPASSRLS roles are not). */
async function rowSecurityOf(db: Sql): Promise<RowSecurity> {
  const row = await db.get<{ bypass: number }>('SELECT (rolsuper OR rolbypassrls) AS bypass FROM pg_roles WHERE rolname = current_user');
  return row?.bypass ? 'bypassed' : 'enforced';
}

export type CommitListener = (events: StoredEvent[]) => void;
/** Work that belongs in the same commit as the events a transaction appended (it may append more). */
export type PreCommitListener = (scope: StoreScope, staged: ReadonlyArray<{ workspaceId: string; entry: NewEvent }>) => Promise<void>;

/** The database a store runs on: SQLite (db.ts) or PostgreSQL (db-postgres.ts). */
type StoreDatabase = MigrationTarget & { close(): Promise<void>; holds?(key: string): Promise<boolean>; within?: Within; reader?(): Sql };

export interface ConnectOptions {
  /**
   * The URL of the role that owns the tables: the schema is migrated and put under row-level
   * security with it, and the role of `url` is granted what the server needs (rows, never the
   * schema). Without it, `url`'s role does both (it then owns the tables; FORCEd row security
   * still holds it unless it is a superuser or has BYPASSRLS).
   */
  adminUrl?: string | undefined;
}

/** How the PostgreSQL role the server runs as stands with row-level security. */
export type RowSecurity = 'enforced' | 'bypassed';

/** The advisory lock whose holder runs the cluster's periodic work. */
const PERIODIC_LOCK = 'charla:periodic';

export class Store extends StoreScope {
  readonly #db: StoreDatabase;
  readonly #listeners = new Set<CommitListener>();
  readonly #preCommit = new Set<PreCommitListener>();

  readonly #secrets: SecretKeeper;
  readonly #within: Within | undefined;
  /** On PostgreSQL, whether row-level security holds the server's role (null on SQLite). */
  readonly rowSecurity: RowSecurity | null;
  /**
   * The queries for long reads (metrics over months). On SQLite they run on a read-only
   * connection in a thread of their own, so they hold neither the server's thread nor the
   * writes' queue; they see what is committed. On PostgreSQL the pool already does: the store itself.
   */
  readonly reads: StoreScope;

  private constructor(db: StoreDatabase, secrets: SecretKeeper, rowSecurity: RowSecurity | null = null) {
    const within = db.within?.bind(db) as Within | undefined;
    super(db, false, secrets, within);
    this.#db = db;
    this.#secrets = secrets;
    this.#within = within;
    this.rowSecurity = rowSecurity;
    this.reads = db.reader ? new StoreScope(db.reader(), false, secrets, within) : this;
  }

  /**
   * Opens (creating if needed) the SQLite database file and brings its schema up to date.
   * Secrets are sealed with `secrets`, else with the key in the file `PATH.key` beside the
   * database (created on first use), so the database file alone never holds them in clear.
   */
  static async open(path: string, secrets?: SecretBox): Promise<Store> {
    const box = secrets ?? (path === ':memory:' ? null : SecretBox.fromKeyFile(`${path}.key`));
    return Store.#ready(await Database.open(path), box);
  }

  /**
   * Connects to the PostgreSQL database at `url` (postgres://user:password@host:port/database)
   * and brings its schema up to date. The driver loads only here, so SQLite users never load it.
   * Without `secrets`, storing a channel's or workspace's secret fails with a clear error.
   */
  static async connect(url: string, secrets?: SecretBox, options: ConnectOptions = {}): Promise<Store> {
    const { PgDatabase } = await import('../db-postgres.js');
    const box = new SecretKeeper(secrets ?? null);
    if (!options.adminUrl || options.adminUrl === url) {
      const db = await PgDatabase.open(url);
      try {
        await db.within('platform', () => migrate(db));
        await db.exclusively(MIGRATION_LOCK, () => db.exec(PROTECT_ROWS));
        return new Store(db, box, await rowSecurityOf(db));
      } catch (error) {
        await db.close();
        throw error;
      }
    }
    const admin = await PgDatabase.open(options.adminUrl, { max: 2 });
    let db: Awaited<ReturnType<typeof PgDatabase.open>> | undefined;
    try {
      await admin.within('platform', () => migrate(admin));
      db = await PgDatabase.open(url);
      const role = (await db.get<{ role: string }>('SELECT current_user AS role'))!.role;
      const owner = (await admin.get<{ role: string }>('SELECT current_user AS role'))!.role;
      await admin.exclusively(MIGRATION_LOCK, async () => {
        await admin.exec(PROTECT_ROWS);
        if (role !== owner) await admin.exec(grantsTo(role));
      });
      return new Store(db, box, await rowSecurityOf(db));
    } catch (error) {
      await db?.close();
      throw error;
    } finally {
      await admin.close();
    }
  }

  /** Which engine the store runs on. */
  get engine(): 'sqlite' | 'postgres' {
    return this.#db.dialect?.name ?? 'sqlite';
  }

  static async #ready(db: StoreDatabase, box: SecretBox | null): Promise<Store> {
    try {
      await migrate(db);
    } catch (error) {
      await db.close();
      throw error;
    }
    return new Store(db, new SecretKeeper(box));
  }

  /**
   * Seals every stored secret that is in clear (stored before sealing existed) or sealed under
   * an older key; returns how many rows changed.
   */
  async sealSecrets(): Promise<number> {
    const changed = await this.transaction(async (scope) => (await scope.channels.resealAll()) + (await scope.platform.resealAll()) + (await scope.webhooks.resealAll()));
    // The clear values' old pages may still sit in the SQLite file until the WAL is written back.
    if (changed > 0 && this.engine === 'sqlite') await this.#db.all('PRAGMA wal_checkpoint(TRUNCATE)');
    return changed;
  }

  /**
   * Whether this process runs the periodic work (routing sweep, SLA, auto-resolve, reminders)
   * that must run once per cluster, taking it over when the process that ran it is gone. On
   * SQLite, one process owns the file, so always. On PostgreSQL, the process holding an advisory
   * lock, released when its connection ends (a crash included).
   */
  leads(): Promise<boolean> {
    return this.#db.holds ? this.#db.holds(PERIODIC_LOCK) : Promise.resolve(true);
  }

  /**
   * Runs `fn` in one write transaction. Events it appends reach the commit listeners right
   * after the commit, in seq order, and never when it rolls back. Name the workspace whose events
   * it appends when it is a busy path (see `TransactionOptions`).
   */
  transaction<T>(fn: (scope: StoreScope) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return this.#db.transaction(async (tx) => {
      const scope = new StoreScope(tx, true, this.#secrets, this.#within);
      const value = await fn(scope);
      if (scope.events.staged().length > 0) for (const listener of this.#preCommit) await listener(scope, [...scope.events.staged()]);
      // Each workspace's events are written in that workspace's row scope.
      const events: StoredEvent[] = [];
      for (const [workspaceId, entries] of scope.events.takeStaged()) events.push(...(await scope.events.write(workspaceId, entries)));
      if (events.length > 0) tx.afterCommit(() => this.#listeners.forEach((listener) => listener(events)));
      return value;
    }, options);
  }

  /**
   * Runs `listener` inside every transaction that appended events, just before they are written,
   * so what it does commits (or rolls back) with them. Returns the function that stops it.
   */
  beforeCommit(listener: PreCommitListener): () => void {
    this.#preCommit.add(listener);
    return () => this.#preCommit.delete(listener);
  }

  /** Listens to committed events; returns the function that stops listening. Listeners must not throw. */
  onCommit(listener: CommitListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves when the database answers a query (readiness). */
  async ping(): Promise<void> {
    await this.#db.get('SELECT 1');
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}
