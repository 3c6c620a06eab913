import { Database, type Sql, type Transaction } from '../db.js';
import { migrate, type MigrationTarget } from '../migrations.js';
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

  constructor(sql: Sql, inTransaction = false, secrets = new SecretKeeper()) {
    this.#afterCommit = inTransaction ? (hook) => (sql as Transaction).afterCommit(hook) : (hook) => hook();
    this.workspaces = new WorkspaceQueries(sql);
    this.platform = new PlatformQueries(sql, secrets);
    this.apiKeys = new ApiKeyQueries(sql);
    this.contacts = new ContactQueries(sql);
    this.conversations = new ConversationQueries(sql);
    this.messages = new MessageQueries(sql);
    this.events = new EventQueries(sql, inTransaction);
    this.audit = new AuditQueries(sql);
    this.jobs = new JobQueries(sql);
    this.channels = new ChannelQueries(sql, secrets);
    this.identity = new IdentityQueries(sql);
    this.companies = new CompanyQueries(sql);
    this.imports = new ImportQueries(sql);
    this.widget = new WidgetQueries(sql);
    this.deals = new DealQueries(sql);
    this.timeline = new TimelineQueries(sql);
    this.canned = new CannedQueries(sql);
    this.knowledge = new KnowledgeQueries(sql);
    this.followUps = new FollowUpQueries(sql);
    this.notifications = new NotificationQueries(sql);
    this.teams = new TeamQueries(sql);
    this.routing = new RoutingQueries(sql);
    this.ai = new AiQueries(sql);
    this.merges = new MergeQueries(sql);
    this.privacy = new PrivacyQueries(sql);
    this.directory = new DirectoryQueries(sql);
    this.broadcasts = new BroadcastQueries(sql);
    this.webhooks = new WebhookQueries(sql, secrets);
    this.idempotency = new IdempotencyQueries(sql);
    this.externalRefs = new ExternalRefQueries(sql);
    this.csat = new CsatQueries(sql);
  }

  /**
   * Runs `hook` once what this scope wrote is committed: right away outside a transaction, after
   * the commit inside one (dropped on rollback). Hooks must not throw.
   */
  afterCommit(hook: () => void): void {
    this.#afterCommit(hook);
  }
}

export type CommitListener = (events: StoredEvent[]) => void;
/** Work that belongs in the same commit as the events a transaction appended (it may append more). */
export type PreCommitListener = (scope: StoreScope, staged: ReadonlyArray<{ workspaceId: string; entry: NewEvent }>) => Promise<void>;

/** The database a store runs on: SQLite (db.ts) or PostgreSQL (db-postgres.ts). */
type StoreDatabase = MigrationTarget & { close(): Promise<void>; holds?(key: string): Promise<boolean> };

/** The advisory lock whose holder runs the cluster's periodic work. */
const PERIODIC_LOCK = 'charla:periodic';

export class Store extends StoreScope {
  readonly #db: StoreDatabase;
  readonly #listeners = new Set<CommitListener>();
  readonly #preCommit = new Set<PreCommitListener>();

  readonly #secrets: SecretKeeper;

  private constructor(db: StoreDatabase, secrets: SecretKeeper) {
    super(db, false, secrets);
    this.#db = db;
    this.#secrets = secrets;
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
  static async connect(url: string, secrets?: SecretBox): Promise<Store> {
    const { PgDatabase } = await import('../db-postgres.js');
    return Store.#ready(await PgDatabase.open(url), secrets ?? null);
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
   * after the commit, in seq order, and never when it rolls back.
   */
  transaction<T>(fn: (scope: StoreScope) => Promise<T>): Promise<T> {
    return this.#db.transaction(async (tx) => {
      const scope = new StoreScope(tx, true, this.#secrets);
      const value = await fn(scope);
      if (scope.events.staged().length > 0) for (const listener of this.#preCommit) await listener(scope, [...scope.events.staged()]);
      const events = await scope.events.flush();
      if (events.length > 0) tx.afterCommit(() => this.#listeners.forEach((listener) => listener(events)));
      return value;
    });
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
