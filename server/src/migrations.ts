import type { Sql, Transaction, TransactionOptions } from './db.js';
import { dialectOf, type DialectName } from './dialect.js';
import { nowIso } from './ids.js';

/**
 * The schema, as an ordered list of migrations. Append new ones; never edit an applied one.
 *
 * The SQL stays portable so that a PostgreSQL store can share it: TEXT ids, ISO-8601 UTC
 * timestamps with milliseconds stored as TEXT (they sort as text), booleans as INTEGER 0/1,
 * label lists as JSON text. Every row carries `workspace_id`.
 */
export interface Migration {
  version: number;
  name: string;
  /** Portable SQL, or one statement per dialect where the engines differ (a trigger, JSON functions). */
  statements: ReadonlyArray<string | Readonly<Record<DialectName, string>>>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'core',
    statements: [
      `CREATE TABLE workspaces (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        widget_key TEXT NOT NULL UNIQUE,
        greeting TEXT,
        last_seq INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      )`,
      `CREATE TABLE agents (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        email TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'agent', 'viewer')),
        avatar_url TEXT,
        token_hash TEXT UNIQUE,
        created_at TEXT NOT NULL,
        UNIQUE (workspace_id, email)
      )`,
      `CREATE TABLE companies (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        domain TEXT,
        created_at TEXT NOT NULL
      )`,
      `CREATE INDEX companies_by_domain ON companies (workspace_id, domain)`,
      `CREATE TABLE contacts (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name TEXT,
        email TEXT,
        phone TEXT,
        avatar_url TEXT,
        company_id TEXT REFERENCES companies(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE INDEX contacts_by_workspace ON contacts (workspace_id, id)`,
      `CREATE TABLE identities (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        channel TEXT NOT NULL,
        handle TEXT NOT NULL,
        verified INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        UNIQUE (workspace_id, channel, handle)
      )`,
      `CREATE INDEX identities_by_contact ON identities (contact_id)`,
      `CREATE TABLE visitors (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      )`,
      `CREATE INDEX visitors_by_contact ON visitors (contact_id)`,
      `CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        channel TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'pending', 'snoozed', 'resolved')),
        priority TEXT NOT NULL,
        assignee_id TEXT REFERENCES agents(id) ON DELETE SET NULL,
        labels TEXT NOT NULL DEFAULT '[]',
        last_message_preview TEXT,
        last_message_at TEXT,
        waiting_since TEXT,
        first_reply_at TEXT,
        unread_count INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE INDEX conversations_by_status ON conversations (workspace_id, status, last_message_at, id)`,
      `CREATE INDEX conversations_by_activity ON conversations (workspace_id, last_message_at, id)`,
      `CREATE INDEX conversations_by_contact ON conversations (contact_id, channel, id)`,
      `CREATE INDEX conversations_by_assignee ON conversations (assignee_id)`,
      `CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        direction TEXT NOT NULL,
        sender_kind TEXT NOT NULL,
        sender_id TEXT,
        sender_name TEXT,
        type TEXT NOT NULL,
        body TEXT NOT NULL,
        private INTEGER NOT NULL DEFAULT 0,
        client_id TEXT,
        channel_message_id TEXT,
        status TEXT NOT NULL,
        error TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (workspace_id, client_id),
        UNIQUE (workspace_id, channel_message_id)
      )`,
      `CREATE INDEX messages_by_conversation ON messages (conversation_id, id)`,
      `CREATE TABLE notes (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        author_id TEXT REFERENCES agents(id) ON DELETE SET NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
      )`,
      `CREATE INDEX notes_by_contact ON notes (contact_id, id)`,
      // The change log. Not tied to contacts by a foreign key: a contact.deleted entry outlives
      // its contact (the store removes the contact's earlier entries itself).
      `CREATE TABLE events (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        type TEXT NOT NULL,
        conversation_id TEXT,
        contact_id TEXT,
        visibility TEXT NOT NULL CHECK (visibility IN ('agents', 'all')),
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (workspace_id, seq)
      )`,
      `CREATE INDEX events_by_contact ON events (workspace_id, contact_id, seq)`,
      `CREATE TABLE audit_log (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        actor_kind TEXT NOT NULL,
        actor_id TEXT,
        action TEXT NOT NULL,
        target_kind TEXT NOT NULL,
        target_id TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL
      )`,
      `CREATE INDEX audit_log_by_workspace ON audit_log (workspace_id, created_at)`,
    ],
  },
  {
    version: 50,
    name: 'pipelines, deals, tasks and business events',
    statements: [
      `CREATE TABLE pipelines (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        position INTEGER NOT NULL,
        created_at TEXT NOT NULL
      )`,
      `CREATE INDEX pipelines_by_workspace ON pipelines (workspace_id, position)`,
      `CREATE TABLE stages (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        pipeline_id TEXT NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
        probability INTEGER NOT NULL,
        stalled_after_days INTEGER
      )`,
      `CREATE INDEX stages_by_pipeline ON stages (pipeline_id, position)`,
      // Amounts are integer cents, so sums per currency are exact.
      `CREATE TABLE deals (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        pipeline_id TEXT NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
        stage_id TEXT NOT NULL REFERENCES stages(id),
        status TEXT NOT NULL CHECK (status IN ('open', 'won', 'lost')),
        title TEXT NOT NULL,
        amount_cents INTEGER NOT NULL,
        currency TEXT NOT NULL,
        probability INTEGER NOT NULL,
        expected_close_date TEXT,
        owner_id TEXT REFERENCES agents(id) ON DELETE SET NULL,
        contact_id TEXT REFERENCES contacts(id) ON DELETE CASCADE,
        company_id TEXT REFERENCES companies(id) ON DELETE SET NULL,
        conversation_id TEXT REFERENCES conversations(id) ON DELETE SET NULL,
        lost_reason TEXT,
        stage_entered_at TEXT NOT NULL,
        closed_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE INDEX deals_by_pipeline ON deals (workspace_id, pipeline_id, stage_id)`,
      `CREATE INDEX deals_by_contact ON deals (contact_id, status)`,
      `CREATE INDEX deals_by_company ON deals (company_id)`,
      `CREATE INDEX deals_by_conversation ON deals (conversation_id)`,
      `CREATE TABLE deal_stage_history (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        deal_id TEXT NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
        stage_id TEXT NOT NULL,
        entered_at TEXT NOT NULL,
        left_at TEXT,
        actor_id TEXT,
        rule TEXT
      )`,
      `CREATE INDEX deal_stage_history_by_deal ON deal_stage_history (deal_id, entered_at)`,
      `CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        due_at TEXT,
        owner_id TEXT REFERENCES agents(id) ON DELETE SET NULL,
        done INTEGER NOT NULL DEFAULT 0,
        done_at TEXT,
        contact_id TEXT REFERENCES contacts(id) ON DELETE CASCADE,
        company_id TEXT REFERENCES companies(id) ON DELETE SET NULL,
        deal_id TEXT REFERENCES deals(id) ON DELETE CASCADE,
        conversation_id TEXT REFERENCES conversations(id) ON DELETE SET NULL,
        rule TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE INDEX tasks_by_due ON tasks (workspace_id, done, due_at)`,
      `CREATE INDEX tasks_by_contact ON tasks (contact_id, done)`,
      `CREATE INDEX tasks_by_deal ON tasks (deal_id)`,
      `CREATE TABLE business_events (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('purchase', 'payment', 'invoice', 'claim')),
        contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        company_id TEXT REFERENCES companies(id) ON DELETE SET NULL,
        amount_cents INTEGER NOT NULL,
        currency TEXT NOT NULL,
        reference TEXT,
        description TEXT,
        due_date TEXT,
        amount_paid_cents INTEGER NOT NULL DEFAULT 0,
        paid INTEGER NOT NULL DEFAULT 0,
        invoice_reference TEXT,
        occurred_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (workspace_id, kind, reference)
      )`,
      `CREATE INDEX business_events_by_contact ON business_events (contact_id, kind, occurred_at)`,
      `CREATE INDEX business_events_by_company ON business_events (company_id, occurred_at)`,
    ],
  },
  {
    version: 40,
    name: 'webchat widget settings',
    statements: [
      // One row per workspace, created on first use. `secret` keys the identity hashes
      // (HMAC-SHA256(secret, user id)); `settings` is the JSON of WidgetSettings.
      `CREATE TABLE widget_settings (
        workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        secret TEXT NOT NULL,
        settings TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
    ],
  },
  {
    version: 60,
    name: 'channels, jobs and identity keys',
    statements: [
      // Structured content of rich channel messages (media, location, shared contacts…) as JSON.
      `ALTER TABLE messages ADD COLUMN content TEXT`,
      // The customer's last inbound message opens the channel's reply window from that time.
      `ALTER TABLE conversations ADD COLUMN last_inbound_at TEXT`,
      // Channel messages set it from Meta's own timestamp; any other inbound message (stored by
      // other paths, imported history) opens the window from when it was written.
      `UPDATE conversations SET last_inbound_at = (SELECT MAX(m.created_at) FROM messages m
         WHERE m.conversation_id = conversations.id AND m.direction = 'in' AND m.private = 0)`,
      {
        sqlite: `CREATE TRIGGER messages_open_reply_window AFTER INSERT ON messages
       WHEN NEW.direction = 'in' AND NEW.private = 0 AND NEW.channel_message_id IS NULL
       BEGIN
         UPDATE conversations SET last_inbound_at = NEW.created_at
         WHERE id = NEW.conversation_id AND (last_inbound_at IS NULL OR last_inbound_at < NEW.created_at);
       END`,
        postgres: `CREATE FUNCTION messages_open_reply_window() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE conversations SET last_inbound_at = NEW.created_at
         WHERE id = NEW.conversation_id AND (last_inbound_at IS NULL OR last_inbound_at < NEW.created_at);
         RETURN NULL;
       END $$;
       CREATE TRIGGER messages_open_reply_window AFTER INSERT ON messages FOR EACH ROW
       WHEN (NEW.direction = 'in' AND NEW.private = 0 AND NEW.channel_message_id IS NULL)
       EXECUTE FUNCTION messages_open_reply_window()`,
      },
      // Click-to-WhatsApp ad referral of the first message, as JSON.
      `ALTER TABLE conversations ADD COLUMN referral TEXT`,
      // Tags and custom attributes a CSV import brings (JSON), kept so nothing imported is lost.
      `ALTER TABLE contacts ADD COLUMN tags TEXT`,
      `ALTER TABLE contacts ADD COLUMN attributes TEXT`,
      `CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        workspace_id TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        run_at TEXT NOT NULL,
        locked_until TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE INDEX jobs_due ON jobs (state, run_at)`,
      `CREATE TABLE channel_settings (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        channel TEXT NOT NULL,
        account_id TEXT,
        settings TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (workspace_id, channel)
      )`,
      `CREATE INDEX channel_settings_by_account ON channel_settings (channel, account_id)`,
      `CREATE TABLE message_templates (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        language TEXT NOT NULL,
        status TEXT NOT NULL,
        category TEXT,
        components TEXT NOT NULL,
        synced_at TEXT NOT NULL,
        PRIMARY KEY (workspace_id, name, language)
      )`,
      // Strong identity keys (country-aware phone keys, lowercased emails) of each contact.
      `CREATE TABLE contact_keys (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        PRIMARY KEY (workspace_id, key, contact_id)
      )`,
      `CREATE INDEX contact_keys_by_contact ON contact_keys (contact_id)`,
      // Conversions reported to Meta, so that each is reported once.
      `CREATE TABLE conversions (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        event_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (workspace_id, event_id)
      )`,
    ],
  },
  {
    version: 30,
    name: 'canned responses',
    statements: [
      `CREATE TABLE canned_responses (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        shortcut TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (workspace_id, shortcut)
      )`,
    ],
  },
  {
    version: 31,
    name: 'notifications',
    statements: [
      `CREATE TABLE notifications (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        message_id TEXT,
        actor_id TEXT,
        actor_name TEXT,
        preview TEXT NOT NULL,
        created_at TEXT NOT NULL,
        read_at TEXT
      )`,
      `CREATE INDEX notifications_by_agent ON notifications (agent_id, created_at)`,
    ],
  },
  {
    version: 51,
    name: 'pipeline automation rules',
    statements: [
      `CREATE TABLE pipeline_automation (
        pipeline_id TEXT PRIMARY KEY REFERENCES pipelines(id) ON DELETE CASCADE,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        settings TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE INDEX pipeline_automation_by_workspace ON pipeline_automation (workspace_id)`,
    ],
  },
  {
    version: 70,
    name: 'AI insights, AI-filled contact fields and AI settings',
    statements: [
      // The latest analysis of each conversation; its data column holds what the provider found (JSON).
      `CREATE TABLE ai_insights (
        conversation_id TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        contact_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'failed')),
        error TEXT,
        provider TEXT,
        data TEXT,
        analyzed_message_id TEXT,
        analyzed_until TEXT,
        job_id TEXT,
        updated_at TEXT NOT NULL
      )`,
      `CREATE INDEX ai_insights_by_contact ON ai_insights (workspace_id, contact_id, updated_at)`,
      // Contact fields an analysis filled, each with the message it came from.
      `CREATE TABLE ai_filled_fields (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        message_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        excerpt TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (contact_id, field)
      )`,
      `CREATE TABLE ai_settings (
        workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        qualify_threshold INTEGER,
        pipeline_id TEXT,
        updated_at TEXT NOT NULL
      )`,
    ],
  },
  {
    version: 71,
    name: 'AI insight summary and sentiment as columns (the timeline reads them)',
    statements: [
      `ALTER TABLE ai_insights ADD COLUMN summary TEXT`,
      `ALTER TABLE ai_insights ADD COLUMN sentiment TEXT`,
    ],
  },
  {
    version: 32,
    name: 'snooze until',
    statements: [
      `ALTER TABLE conversations ADD COLUMN snoozed_until TEXT`,
      `CREATE INDEX conversations_snoozed ON conversations (status, snoozed_until)`,
    ],
  },
  {
    version: 33,
    name: 'teams',
    statements: [
      `CREATE TABLE teams (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (workspace_id, name)
      )`,
      `CREATE TABLE team_members (
        team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
        agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        PRIMARY KEY (team_id, agent_id)
      )`,
      `ALTER TABLE conversations ADD COLUMN team_id TEXT REFERENCES teams(id) ON DELETE SET NULL`,
    ],
  },
  {
    version: 34,
    name: 'resolution time',
    statements: [`ALTER TABLE conversations ADD COLUMN resolved_at TEXT`],
  },
  {
    version: 35,
    name: 'routing',
    statements: [
      `CREATE TABLE routing_settings (
        workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        settings TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      // When routing last gave each agent a conversation: the turn goes to who waited longest.
      `CREATE TABLE routing_turns (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        last_assigned_at TEXT NOT NULL,
        PRIMARY KEY (workspace_id, agent_id)
      )`,
    ],
  },
  {
    version: 36,
    name: 'sla breaches',
    statements: [`ALTER TABLE conversations ADD COLUMN sla_breached_at TEXT`],
  },
  {
    version: 37,
    name: 'metric indexes',
    statements: [
      // Range lookups of the conversation clocks.
      `CREATE INDEX conversations_by_start ON conversations (workspace_id, created_at)`,
      `CREATE INDEX conversations_by_resolution ON conversations (workspace_id, resolved_at)`,
    ],
  },
  {
    version: 45,
    name: 'agent away',
    // An agent who set themselves away gets no new work from routing, in every tab.
    statements: [`ALTER TABLE agents ADD COLUMN away INTEGER NOT NULL DEFAULT 0`],
  },
  {
    version: 46,
    name: 'resolution SLA breaches',
    statements: [`ALTER TABLE conversations ADD COLUMN resolution_breached_at TEXT`],
  },
  {
    version: 52,
    name: 'pipeline metric index',
    // Range lookups of the pipeline metrics (after the deals tables of version 50).
    statements: [`CREATE INDEX deal_stage_history_by_entry ON deal_stage_history (workspace_id, entered_at)`],
  },
  {
    version: 53,
    name: 'pipeline metric indexes by close',
    // Stays that ended in a range (deal velocity) and deals closed in a range (win rate, lead to close).
    statements: [
      `CREATE INDEX deal_stage_history_by_exit ON deal_stage_history (workspace_id, left_at)`,
      `CREATE INDEX deals_by_close ON deals (workspace_id, pipeline_id, closed_at)`,
    ],
  },
  {
    version: 38,
    name: 'conversation clock index',
    // The first-response and reply clocks read, per conversation, the public lines that can start
    // or stop a wait, in order: this covers that read (its WHERE is the query's, term for term, so
    // SQLite can use it), and a month of a busy workspace is read from the index alone.
    statements: [
      `CREATE INDEX messages_for_clocks ON messages (conversation_id, created_at, id, private, direction, sender_kind, sender_id)
       WHERE private = 0 AND (sender_kind = 'agent' OR (sender_kind = 'contact' AND direction = 'in'))`,
    ],
  },
  {
    version: 85,
    name: 'merge records, name sources and dismissed duplicates',
    statements: [
      // Where a contact's name came from (agent, visitor, import, ai, profile): a name a person
      // typed beats a channel's profile name when two contacts merge. NULL: written before.
      `ALTER TABLE contacts ADD COLUMN name_source TEXT`,
      // What a merge did, kept 30 days so it can be undone: the merged contact's row, the
      // survivor's values before and after, and the keys of every row that moved (JSON).
      `CREATE TABLE contact_merges (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        survivor_id TEXT NOT NULL,
        merged_id TEXT NOT NULL,
        actor_kind TEXT NOT NULL,
        actor_id TEXT,
        reason TEXT NOT NULL,
        record TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        undone_at TEXT,
        undone_by TEXT
      )`,
      `CREATE INDEX contact_merges_by_survivor ON contact_merges (workspace_id, survivor_id, created_at)`,
      `CREATE INDEX contact_merges_by_expiry ON contact_merges (expires_at)`,
      // Possible duplicates an agent said are different people (the pair in id order).
      `CREATE TABLE duplicate_dismissals (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        contact_id TEXT NOT NULL,
        other_id TEXT NOT NULL,
        dismissed_by TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (workspace_id, contact_id, other_id)
      )`,
    ],
  },
  {
    version: 80,
    name: 'workspace country, time zone and currency',
    // National phone numbers are read in the workspace's country. The demo workspace is Mexican.
    statements: [
      `ALTER TABLE workspaces ADD COLUMN default_country TEXT NOT NULL DEFAULT 'US'`,
      `ALTER TABLE workspaces ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC'`,
      `ALTER TABLE workspaces ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD'`,
      `UPDATE workspaces SET default_country = 'MX', timezone = 'America/Mexico_City', currency = 'MXN' WHERE widget_key = 'demo'`,
    ],
  },
  {
    version: 125,
    name: 'workspace signing secrets; agents provisioned by the host (external id, deactivation)',
    statements: [
      // The secret the host's backend signs agent tokens with, and the one it replaced (still
      // accepted until dropped, so a rotation never signs anyone out).
      `ALTER TABLE workspaces ADD COLUMN signing_secret TEXT`,
      `ALTER TABLE workspaces ADD COLUMN previous_signing_secret TEXT`,
      `ALTER TABLE agents ADD COLUMN external_id TEXT`,
      `ALTER TABLE agents ADD COLUMN deactivated_at TEXT`,
      `CREATE UNIQUE INDEX agents_by_external_id ON agents (workspace_id, external_id) WHERE external_id IS NOT NULL`,
    ],
  },
  {
    version: 110,
    name: 'API keys for server-to-server REST',
    statements: [
      // The key is shown once when created and stored only as its SHA-256; it acts as the admin
      // who created it, with its own role at most.
      `CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        prefix TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        created_by TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at TEXT
      )`,
      `CREATE INDEX api_keys_by_workspace ON api_keys (workspace_id, created_at)`,
    ],
  },
  {
    version: 95,
    name: 'visitor sessions own their conversations; client ids scoped to their sender',
    statements: [
      // The site user id a session proved with a valid hash (null: anonymous), and when it was
      // last used: a proven session expires after a while without use, an anonymous one never.
      `ALTER TABLE visitors ADD COLUMN site_user TEXT`,
      `ALTER TABLE visitors ADD COLUMN active_at TEXT`,
      `CREATE INDEX visitors_by_site_user ON visitors (workspace_id, site_user) WHERE site_user IS NOT NULL`,
      // Sessions of identified contacts keep their site user with no last use: expired, so they
      // open nothing until identify() runs again, which then finds their history.
      `UPDATE visitors SET site_user = (SELECT SUBSTR(i.handle, 6) FROM identities i
         WHERE i.contact_id = visitors.contact_id AND i.channel = 'webchat' AND i.handle LIKE 'user:%'
         ORDER BY i.created_at, i.id LIMIT 1)`,
      // The session that started a webchat conversation: a visitor sees the conversations their
      // session started and those of sessions that proved the same site user, never all of a contact's.
      `ALTER TABLE conversations ADD COLUMN visitor_id TEXT REFERENCES visitors(id) ON DELETE SET NULL`,
      `UPDATE conversations SET visitor_id = (SELECT v.id FROM visitors v WHERE v.contact_id = conversations.contact_id
         ORDER BY v.created_at, v.id LIMIT 1) WHERE channel = 'webchat'`,
      `CREATE INDEX conversations_by_visitor ON conversations (visitor_id) WHERE visitor_id IS NOT NULL`,
      // A client id is unique per sender (an agent, or a visitor session), so another sender's id
      // never finds, nor collides with, someone else's message. The table's own UNIQUE
      // (workspace_id, client_id) cannot be dropped without rebuilding messages, so the ids move
      // to a new column and client_id stays empty from now on.
      `ALTER TABLE messages ADD COLUMN client_scope TEXT`,
      `ALTER TABLE messages ADD COLUMN scoped_client_id TEXT`,
      `UPDATE messages SET scoped_client_id = client_id, client_id = NULL,
         client_scope = CASE WHEN sender_kind = 'agent' THEN 'agent:' || sender_id
           ELSE 'visitor:' || COALESCE((SELECT c.visitor_id FROM conversations c WHERE c.id = messages.conversation_id), '') END
       WHERE client_id IS NOT NULL`,
      `CREATE UNIQUE INDEX messages_by_client_id ON messages (workspace_id, client_scope, scoped_client_id)
       WHERE scoped_client_id IS NOT NULL`,
    ],
  },
  {
    version: 90,
    name: 'a channel account belongs to one workspace',
    // A channel account (WhatsApp phone number id, Instagram account id…) routes its customers to
    // the workspace that holds it, so two workspaces may never hold the same one. Where they
    // already do, the claim touched longest ago keeps the account (an intruder's claim is the
    // recent one) and the others keep their settings without it, so they can claim it again
    // with proof through the API.
    statements: [
      {
        sqlite: `UPDATE channel_settings
         SET settings = json_set(settings, CASE channel WHEN 'whatsapp' THEN '$.phoneNumberId' ELSE '$.accountId' END, NULL),
           account_id = NULL
       WHERE account_id IS NOT NULL AND EXISTS (
         SELECT 1 FROM channel_settings earlier
         WHERE earlier.channel = channel_settings.channel AND earlier.account_id = channel_settings.account_id
           AND (earlier.updated_at < channel_settings.updated_at
             OR (earlier.updated_at = channel_settings.updated_at AND earlier.workspace_id < channel_settings.workspace_id)))`,
        postgres: `UPDATE channel_settings
         SET settings = CAST(jsonb_set(CAST(settings AS jsonb),
             CAST(CASE channel WHEN 'whatsapp' THEN '{phoneNumberId}' ELSE '{accountId}' END AS text[]), 'null') AS text),
           account_id = NULL
       WHERE account_id IS NOT NULL AND EXISTS (
         SELECT 1 FROM channel_settings earlier
         WHERE earlier.channel = channel_settings.channel AND earlier.account_id = channel_settings.account_id
           AND (earlier.updated_at < channel_settings.updated_at
             OR (earlier.updated_at = channel_settings.updated_at AND earlier.workspace_id < channel_settings.workspace_id)))`,
      },
      `DROP INDEX channel_settings_by_account`,
      `CREATE UNIQUE INDEX channel_settings_account ON channel_settings (channel, account_id)`,
    ],
  },
  {
    version: 131,
    name: 'which conversations agents see',
    // `all` (every agent sees every conversation, as before) or `teams` (their teams', teamless
    // ones and their own); admins always see all.
    statements: [`ALTER TABLE workspaces ADD COLUMN agent_visibility TEXT NOT NULL DEFAULT 'all'`],
  },
  {
    version: 280,
    name: 'marketing opt-out of contacts',
    // JSON {at, source: agent|keyword, byId, byName, keyword, channel}; NULL: the contact may get marketing.
    statements: [`ALTER TABLE contacts ADD COLUMN marketing_opt_out TEXT`],
  },
  {
    version: 281,
    name: 'agent skills and the skill a conversation needs',
    // Skills: a JSON array of lowercase names ("portugués", "mayoreo"); routing gives a conversation
    // that needs one only to agents who have it.
    statements: [
      `ALTER TABLE agents ADD COLUMN skills TEXT NOT NULL DEFAULT '[]'`,
      `ALTER TABLE conversations ADD COLUMN required_skill TEXT`,
    ],
  },
  {
    version: 81,
    name: 'contacts by phone and email',
    // Every write that gives a contact a key looks for the contact already holding it, also by
    // the phone and email on file: without these each lookup read all of the workspace's contacts.
    statements: [
      `CREATE INDEX contacts_by_phone ON contacts (workspace_id, phone)`,
      `CREATE INDEX contacts_by_email ON contacts (workspace_id, LOWER(TRIM(email)))`,
    ],
  },
  {
    version: 150,
    name: 'privacy: retention policy, blocked handles, audit log lookups',
    statements: [
      // How long quiet contacts and conversations are kept (months; NULL: for ever) and what
      // happens then: erased (delete) or stripped of personal data (anonymize).
      `CREATE TABLE privacy_settings (
        workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        retention_months INTEGER,
        retention_action TEXT NOT NULL CHECK (retention_action IN ('delete', 'anonymize')),
        updated_at TEXT NOT NULL
      )`,
      // Channel handles of erased people an admin chose to refuse: SHA-256 of workspace, channel
      // and handle, so the list itself holds nobody's number or account.
      `CREATE TABLE blocked_handles (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        digest TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (workspace_id, digest)
      )`,
      `CREATE INDEX audit_log_by_actor ON audit_log (workspace_id, actor_id, created_at)`,
      `CREATE INDEX audit_log_by_target ON audit_log (workspace_id, target_id, created_at)`,
    ],
  },
  {
    version: 170,
    name: 'email inboxes read over IMAP',
    // Where each inbox's IMAP reading is: the mailbox's UIDVALIDITY and the last UID taken.
    statements: [
      `CREATE TABLE email_cursors (
        workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        uid_validity TEXT NOT NULL,
        last_uid INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      )`,
    ],
  },
  {
    version: 200,
    name: 'contacts directory: owners, saved segments',
    statements: [
      // The agent who looks after a contact (set in bulk from the directory).
      `ALTER TABLE contacts ADD COLUMN owner_id TEXT REFERENCES agents(id) ON DELETE SET NULL`,
      `CREATE INDEX contacts_by_owner ON contacts (workspace_id, owner_id)`,
      `CREATE INDEX contacts_by_created ON contacts (workspace_id, created_at, id)`,
      `CREATE INDEX contacts_by_name ON contacts (workspace_id, name, id)`,
      // Segments read conversations by contact and activity, and tasks by contact and due date.
      `CREATE INDEX conversations_by_contact_activity ON conversations (contact_id, last_message_at)`,
      `CREATE INDEX tasks_by_contact_due ON tasks (contact_id, done, due_at)`,
      // Saved segments (smart lists): a directory filter with a name, shared in the workspace.
      `CREATE TABLE segments (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        filter TEXT NOT NULL,
        created_by TEXT REFERENCES agents(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE INDEX segments_by_workspace ON segments (workspace_id, created_at)`,
    ],
  },
  {
    version: 201,
    name: 'companies directory: people by company',
    statements: [`CREATE INDEX contacts_by_company ON contacts (company_id)`],
  },
  {
    version: 260,
    name: 'acquisition spend',
    // What an admin spent to bring customers in, per channel, campaign ('' for the channel as a
    // whole), month and currency; entering it again replaces the amount.
    statements: [
      `CREATE TABLE acquisition_spend (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        channel TEXT NOT NULL,
        campaign TEXT NOT NULL,
        month TEXT NOT NULL,
        currency TEXT NOT NULL,
        amount_cents INTEGER NOT NULL,
        updated_by TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (workspace_id, month, channel, campaign, currency)
      )`,
    ],
  },
  {
    version: 220,
    name: 'outbound webhooks',
    statements: [
      `CREATE TABLE webhooks (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        events TEXT NOT NULL,
        secret TEXT NOT NULL,
        description TEXT,
        status TEXT NOT NULL CHECK (status IN ('active', 'paused')),
        failing_since TEXT,
        paused_at TEXT,
        created_by TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE INDEX webhooks_by_workspace ON webhooks (workspace_id, created_at)`,
      // One row per event and subscription; `lane` (the conversation, else the entity) orders them.
      `CREATE TABLE webhook_deliveries (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
        event_type TEXT NOT NULL,
        lane TEXT NOT NULL,
        body TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'paused')),
        job_id TEXT,
        next_attempt_at TEXT,
        created_at TEXT NOT NULL,
        delivered_at TEXT
      )`,
      `CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id)`,
      `CREATE INDEX webhook_deliveries_by_lane ON webhook_deliveries (webhook_id, lane, state, id)`,
      `CREATE TABLE webhook_attempts (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        status INTEGER,
        error TEXT,
        duration_ms INTEGER NOT NULL
      )`,
      `CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_id, at)`,
      // The status before the last change and when it changed (an UPDATE reads the old value),
      // so a change of status is told from any other change of the conversation.
      `ALTER TABLE conversations ADD COLUMN previous_status TEXT`,
      `ALTER TABLE conversations ADD COLUMN status_changed_at TEXT`,
    ],
  },
  {
    version: 221,
    name: 'notifications without a conversation (a paused webhook)',
    statements: [
      {
        sqlite: `CREATE TABLE notifications_new (
          id TEXT PRIMARY KEY,
          workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
          agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
          kind TEXT NOT NULL,
          conversation_id TEXT REFERENCES conversations(id) ON DELETE CASCADE,
          message_id TEXT,
          actor_id TEXT,
          actor_name TEXT,
          preview TEXT NOT NULL,
          created_at TEXT NOT NULL,
          read_at TEXT
        )`,
        postgres: `ALTER TABLE notifications ALTER COLUMN conversation_id DROP NOT NULL`,
      },
      {
        sqlite: `INSERT INTO notifications_new (id, workspace_id, agent_id, kind, conversation_id, message_id, actor_id, actor_name, preview, created_at, read_at)
          SELECT id, workspace_id, agent_id, kind, conversation_id, message_id, actor_id, actor_name, preview, created_at, read_at FROM notifications`,
        postgres: `SELECT 1`,
      },
      { sqlite: `DROP TABLE notifications`, postgres: `SELECT 1` },
      { sqlite: `ALTER TABLE notifications_new RENAME TO notifications`, postgres: `SELECT 1` },
      { sqlite: `CREATE INDEX notifications_by_agent ON notifications (agent_id, created_at)`, postgres: `SELECT 1` },
    ],
  },
  {
    version: 222,
    name: 'idempotency keys of REST requests',
    // The first answer to a POST with an `Idempotency-Key`, replayed to the same key for a day.
    statements: [
      `CREATE TABLE idempotency_keys (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        idempotency_key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        status INTEGER,
        content_type TEXT,
        body TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (workspace_id, idempotency_key)
      )`,
      `CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at)`,
    ],
  },
  {
    version: 223,
    name: 'external references of contacts, companies and deals',
    // The ids are read with the record (`external_ids`, JSON); `external_refs` finds the record by
    // one and keeps each id to one record of a kind.
    statements: [
      `ALTER TABLE contacts ADD COLUMN external_ids TEXT`,
      `ALTER TABLE companies ADD COLUMN external_ids TEXT`,
      `ALTER TABLE deals ADD COLUMN external_ids TEXT`,
      `CREATE TABLE external_refs (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('contact', 'company', 'deal')),
        system TEXT NOT NULL,
        external_id TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        PRIMARY KEY (workspace_id, kind, system, external_id)
      )`,
      `CREATE INDEX external_refs_by_entity ON external_refs (entity_id)`,
    ],
  },
  {
    version: 240,
    name: 'knowledge base',
    // What the workspace uploads for the AI to answer from: FAQ entries and documents, cut into
    // chunks searched by full text (SQLite FTS5 beside the table, PostgreSQL's text search on it).
    // `search_text` is the chunk with its entry's title, lower case and without accents.
    statements: [
      `CREATE TABLE knowledge_entries (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('faq', 'document')),
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        chunks INTEGER NOT NULL,
        created_by TEXT REFERENCES agents(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL
      )`,
      `CREATE INDEX knowledge_entries_by_workspace ON knowledge_entries (workspace_id, created_at)`,
      `CREATE TABLE knowledge_chunks (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        entry_id TEXT NOT NULL REFERENCES knowledge_entries(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        search_text TEXT NOT NULL
      )`,
      `CREATE INDEX knowledge_chunks_by_entry ON knowledge_chunks (entry_id, position)`,
      // The FTS5 table follows the chunks by triggers (also when a workspace's deletion cascades to them).
      {
        sqlite: `CREATE VIRTUAL TABLE knowledge_fts USING fts5(search_text, chunk_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
          CREATE TRIGGER knowledge_chunks_indexed AFTER INSERT ON knowledge_chunks BEGIN
            INSERT INTO knowledge_fts (search_text, chunk_id) VALUES (new.search_text, new.id);
          END;
          CREATE TRIGGER knowledge_chunks_unindexed AFTER DELETE ON knowledge_chunks BEGIN
            DELETE FROM knowledge_fts WHERE chunk_id = old.id;
          END`,
        postgres: `CREATE INDEX knowledge_chunks_search ON knowledge_chunks USING GIN (to_tsvector('simple', search_text))`,
      },
    ],
  },
  {
    version: 241,
    name: 'AI topic words',
    // The workspace's own words per topic (JSON: topic → words), added to the built-in vocabulary.
    statements: [`ALTER TABLE ai_settings ADD COLUMN topic_words TEXT`],
  },
  {
    version: 300,
    name: 'broadcasts',
    // A broadcast and its recipients (one row per contact of the audience, skipped ones too, in
    // audience order). `broadcast_settings` holds the number's tier and pace, and the next free
    // send slot every process takes its turn from. A conversation remembers the broadcast a reply opened it from.
    statements: [
      `CREATE TABLE broadcasts (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        template_name TEXT NOT NULL,
        template_language TEXT NOT NULL,
        parameters TEXT NOT NULL,
        body TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('scheduled', 'sending', 'done', 'canceled')),
        scheduled_at TEXT,
        created_by TEXT REFERENCES agents(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        canceled_at TEXT
      )`,
      `CREATE INDEX broadcasts_by_workspace ON broadcasts (workspace_id, created_at)`,
      `CREATE TABLE broadcast_recipients (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        broadcast_id TEXT NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
        contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        handle TEXT,
        text TEXT,
        parameters TEXT,
        status TEXT NOT NULL,
        reason TEXT,
        channel_message_id TEXT,
        conversation_id TEXT REFERENCES conversations(id) ON DELETE SET NULL,
        sent_at TEXT,
        delivered_at TEXT,
        read_at TEXT,
        replied_at TEXT,
        updated_at TEXT NOT NULL
      )`,
      `CREATE INDEX broadcast_recipients_by_status ON broadcast_recipients (broadcast_id, status, position)`,
      `CREATE INDEX broadcast_recipients_by_message ON broadcast_recipients (workspace_id, channel_message_id)`,
      `CREATE INDEX broadcast_recipients_by_contact ON broadcast_recipients (workspace_id, contact_id, sent_at)`,
      `CREATE TABLE broadcast_settings (
        workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        tier TEXT NOT NULL,
        messages_per_second INTEGER NOT NULL,
        next_slot_ms INTEGER NOT NULL DEFAULT 0
      )`,
      `ALTER TABLE conversations ADD COLUMN broadcast_id TEXT`,
    ],
  },
  {
    version: 340,
    name: 'several email inboxes per workspace',
    // support@, sales@, info@: each inbox has its own row (its id is the inbox key of its webhook
    // URL) with its settings sealed like channel settings, and its own IMAP cursor. The one inbox
    // a workspace had moves here with its key, settings and cursor.
    statements: [
      `CREATE TABLE email_inboxes (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        settings TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE INDEX email_inboxes_by_workspace ON email_inboxes (workspace_id, created_at)`,
      `CREATE TABLE email_inbox_cursors (
        inbox_id TEXT PRIMARY KEY REFERENCES email_inboxes(id) ON DELETE CASCADE,
        uid_validity TEXT NOT NULL,
        last_uid INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `INSERT INTO email_inboxes (id, workspace_id, settings, created_at, updated_at)
        SELECT account_id, workspace_id, settings, updated_at, updated_at FROM channel_settings
        WHERE channel = 'email' AND account_id IS NOT NULL`,
      `INSERT INTO email_inbox_cursors (inbox_id, uid_validity, last_uid, updated_at)
        SELECT email_inboxes.id, email_cursors.uid_validity, email_cursors.last_uid, email_cursors.updated_at
        FROM email_cursors JOIN email_inboxes ON email_inboxes.workspace_id = email_cursors.workspace_id`,
      `DELETE FROM channel_settings WHERE channel = 'email'`,
      `DROP TABLE email_cursors`,
    ],
  },
  {
    version: 350,
    name: 'AI re-engagement drafts',
    // A message the AI drafted for a silent deal's conversation, carried by its "Reactivate" task
    // (one per task) until the owner sends or dismisses it. `template` (JSON) is the approved
    // WhatsApp template sent instead when the 24-hour window is closed.
    statements: [
      `CREATE TABLE ai_follow_ups (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        deal_id TEXT NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
        task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        body TEXT NOT NULL,
        template TEXT,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'dismissed')),
        provider TEXT NOT NULL,
        created_at TEXT NOT NULL,
        decided_at TEXT,
        decided_by TEXT REFERENCES agents(id) ON DELETE SET NULL,
        message_id TEXT
      )`,
      `CREATE UNIQUE INDEX ai_follow_ups_by_task ON ai_follow_ups (task_id)`,
      `CREATE INDEX ai_follow_ups_by_conversation ON ai_follow_ups (workspace_id, conversation_id, status)`,
    ],
  },
  {
    version: 360,
    name: 'why a re-engagement draft has no text',
    // When the AI provider fails, the "Reactivate" task still carries a follow-up, with no text
    // and the provider's reason: the owner writes the message (or dismisses it).
    statements: [`ALTER TABLE ai_follow_ups ADD COLUMN error TEXT`],
  },
  {
    version: 310,
    name: 'satisfaction surveys',
    statements: [
      // Per workspace: on or off, the question per language (JSON), the language WhatsApp and
      // Instagram are asked in, and how long a survey waits for its answer.
      `CREATE TABLE csat_settings (
        workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        enabled INTEGER NOT NULL DEFAULT 0,
        questions TEXT,
        channel_language TEXT NOT NULL DEFAULT 'es',
        expires_hours INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      // One survey per resolution; `agent_id` is whom the rating is about (the assignee then). The
      // contact is the conversation's (merges and erasure follow it).
      `CREATE TABLE csat_surveys (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        channel TEXT NOT NULL,
        agent_id TEXT,
        status TEXT NOT NULL CHECK (status IN ('asked', 'answered', 'expired')),
        rating INTEGER CHECK (rating BETWEEN 1 AND 5),
        comment TEXT,
        asked_at TEXT NOT NULL,
        answered_at TEXT,
        expires_at TEXT NOT NULL
      )`,
      `CREATE INDEX csat_surveys_by_conversation ON csat_surveys (workspace_id, conversation_id, asked_at)`,
      `CREATE INDEX csat_surveys_answered ON csat_surveys (workspace_id, answered_at)`,
      `CREATE INDEX csat_surveys_asked ON csat_surveys (status, expires_at)`,
    ],
  },
];

/** What migrations run on: the SQLite database or the PostgreSQL pool. */
export interface MigrationTarget extends Sql {
  transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs `fn` while no other process holding the same `key` runs (PostgreSQL's advisory lock,
   * so servers starting at once migrate one after the other). SQLite's file lock does this already.
   */
  exclusively?<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** The advisory lock migrations hold. */
export const MIGRATION_LOCK = 'charla:migrations';

/**
 * A statement as `dialect` runs it. On PostgreSQL, INTEGER columns are 64-bit like SQLite's
 * (amounts in cents, counters), and come back as numbers (see db-postgres.ts).
 */
export function statementFor(statement: Migration['statements'][number], dialect: DialectName): string {
  const sql = typeof statement === 'string' ? statement : statement[dialect];
  return dialect === 'postgres' ? sql.replace(/\bINTEGER\b/g, 'BIGINT') : sql;
}

/** Applies the migrations not yet recorded in `schema_migrations`, each in its own transaction. */
export async function migrate(db: MigrationTarget, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return db.exclusively ? db.exclusively(MIGRATION_LOCK, () => applyMigrations(db, migrations)) : applyMigrations(db, migrations);
}

async function applyMigrations(db: MigrationTarget, migrations: readonly Migration[]): Promise<number[]> {
  const dialect = dialectOf(db).name;
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    const didApply = await db.transaction(async (tx) => {
      // Checked inside the transaction: another process may have applied it meanwhile.
      const done = await tx.get('SELECT version FROM schema_migrations WHERE version = ?', [migration.version]);
      if (done) return false;
      for (const statement of migration.statements) await tx.exec(statementFor(statement, dialect));
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        migration.version,
        migration.name,
        nowIso(),
      ]);
      return true;
    });
    if (didApply) applied.push(migration.version);
  }
  return applied;
}
