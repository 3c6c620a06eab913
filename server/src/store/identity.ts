import { externalIdsOf } from './external-refs.js';
import type { Channel, Company } from '@charla/protocol';
import type { Sql } from '../db.js';
import { placeholders } from './like.js';

/** Identity keys of contacts and lookups by handle and key. */
export class IdentityQueries {
  constructor(private readonly sql: Sql) {}

  async contactOfHandle(workspaceId: string, channel: Channel, handle: string): Promise<string | undefined> {
    const row = await this.sql.get<{ contact_id: string }>(
      'SELECT contact_id FROM identities WHERE workspace_id = ? AND channel = ? AND handle = ?',
      [workspaceId, channel, handle],
    );
    return row?.contact_id;
  }

  /** Contacts holding any of `keys`, each with the keys it holds, oldest contact first. */
  async contactsWithKeys(workspaceId: string, keys: readonly string[]): Promise<Array<{ contactId: string; keys: string[] }>> {
    if (keys.length === 0) return [];
    const rows = await this.sql.all<{ contact_id: string; key: string }>(
      `SELECT contact_id, key FROM contact_keys WHERE workspace_id = ? AND key IN (${placeholders(keys.length)})
       ORDER BY contact_id`,
      [workspaceId, ...keys],
    );
    const byContact = new Map<string, string[]>();
    for (const row of rows) byContact.set(row.contact_id, [...(byContact.get(row.contact_id) ?? []), row.key]);
    return [...byContact].map(([contactId, held]) => ({ contactId, keys: held }));
  }

  /**
   * Contacts whose own email (any case) or phone is one of these: contacts whose fields were set
   * by a path that keeps no keys still match.
   */
  async contactsWithFields(workspaceId: string, emails: readonly string[], phones: readonly string[]): Promise<string[]> {
    // One indexed lookup per column (contacts_by_email, contacts_by_phone): an OR of both, or an
    // ORDER BY, makes SQLite read every contact of the workspace instead.
    const ids = new Set<string>();
    for (const [column, values] of [['LOWER(TRIM(email))', emails], ['phone', phones]] as const) {
      if (values.length === 0) continue;
      const rows = await this.sql.all<{ id: string }>(
        `SELECT id FROM contacts WHERE workspace_id = ? AND ${column} IN (${placeholders(values.length)})`,
        [workspaceId, ...values],
      );
      for (const row of rows) ids.add(row.id);
    }
    return [...ids].sort();
  }

  /**
   * One contact (the oldest) of each group that shares a key, in any workspace: by the key index,
   * or by the email or phone on file. Only data written before every write kept the rule has any.
   */
  async contactsSharingKeys(): Promise<Array<{ workspaceId: string; contactId: string }>> {
    const rows = await this.sql.all<{ workspace_id: string; contact_id: string }>(
      `SELECT workspace_id, MIN(contact_id) AS contact_id FROM contact_keys GROUP BY workspace_id, key HAVING COUNT(*) > 1
       UNION
       SELECT workspace_id, MIN(id) AS contact_id FROM contacts WHERE email IS NOT NULL
         GROUP BY workspace_id, LOWER(TRIM(email)) HAVING COUNT(*) > 1
       UNION
       SELECT workspace_id, MIN(id) AS contact_id FROM contacts WHERE phone IS NOT NULL GROUP BY workspace_id, phone HAVING COUNT(*) > 1
       ORDER BY contact_id`,
    );
    return rows.map((row) => ({ workspaceId: row.workspace_id, contactId: row.contact_id }));
  }

  /** Every key of the workspace (for deduplicating a large import in memory). */
  async allKeys(workspaceId: string): Promise<Array<{ key: string; contactId: string }>> {
    const rows = await this.sql.all<{ key: string; contact_id: string }>(
      'SELECT key, contact_id FROM contact_keys WHERE workspace_id = ? ORDER BY contact_id',
      [workspaceId],
    );
    return rows.map((row) => ({ key: row.key, contactId: row.contact_id }));
  }

  async addKeys(workspaceId: string, contactId: string, keys: readonly string[]): Promise<void> {
    const unique = [...new Set(keys)];
    if (unique.length === 0) return;
    await this.sql.run(
      `INSERT INTO contact_keys (workspace_id, key, contact_id) VALUES ${unique.map(() => '(?, ?, ?)').join(', ')}
       ON CONFLICT DO NOTHING`,
      unique.flatMap((key) => [workspaceId, key, contactId]),
    );
  }

  /** Replaces the contact's keys. */
  async setKeys(workspaceId: string, contactId: string, keys: readonly string[]): Promise<void> {
    await this.sql.run('DELETE FROM contact_keys WHERE workspace_id = ? AND contact_id = ?', [workspaceId, contactId]);
    await this.addKeys(workspaceId, contactId, keys);
  }

  /** Same-named contacts (a weak signal: never merged on, only flagged). */
  async contactsNamed(workspaceId: string, name: string, exceptId: string): Promise<string[]> {
    const rows = await this.sql.all<{ id: string }>(
      'SELECT id FROM contacts WHERE workspace_id = ? AND LOWER(name) = LOWER(?) AND id <> ? ORDER BY id LIMIT 5',
      [workspaceId, name, exceptId],
    );
    return rows.map((row) => row.id);
  }
}

export interface ImportedContact {
  id: string;
  workspaceId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  companyId: string | null;
  tags: string[];
  attributes: Record<string, string>;
  createdAt: string;
}

/** Rows per multi-row INSERT of an import (11 parameters each, well under SQLite's limit). */
const IMPORT_BATCH = 300;

/** The bulk writes of a contact import, and the export's extra columns. */
export class ImportQueries {
  constructor(private readonly sql: Sql) {}

  async insertContacts(contacts: readonly ImportedContact[]): Promise<void> {
    for (let start = 0; start < contacts.length; start += IMPORT_BATCH) {
      const batch = contacts.slice(start, start + IMPORT_BATCH);
      await this.sql.run(
        `INSERT INTO contacts (id, workspace_id, name, name_source, email, phone, company_id, tags, attributes, created_at, updated_at)
         VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        batch.flatMap((c) => [
          c.id, c.workspaceId, c.name, c.name === null ? null : 'import', c.email, c.phone, c.companyId,
          c.tags.length > 0 ? JSON.stringify(c.tags) : null,
          Object.keys(c.attributes).length > 0 ? JSON.stringify(c.attributes) : null,
          c.createdAt, c.createdAt,
        ]),
      );
    }
  }

  async insertKeys(workspaceId: string, keys: ReadonlyArray<{ key: string; contactId: string }>): Promise<void> {
    for (let start = 0; start < keys.length; start += IMPORT_BATCH * 3) {
      const batch = keys.slice(start, start + IMPORT_BATCH * 3);
      await this.sql.run(
        `INSERT INTO contact_keys (workspace_id, key, contact_id) VALUES ${batch.map(() => '(?, ?, ?)').join(', ')}
         ON CONFLICT DO NOTHING`,
        batch.flatMap((k) => [workspaceId, k.key, k.contactId]),
      );
    }
  }

  /** Adds tags and attributes to an existing contact (kept values win). */
  async mergeExtras(workspaceId: string, contactId: string, tags: string[], attributes: Record<string, string>): Promise<void> {
    const row = await this.sql.get<{ tags: string | null; attributes: string | null }>(
      'SELECT tags, attributes FROM contacts WHERE workspace_id = ? AND id = ?',
      [workspaceId, contactId],
    );
    if (!row) return;
    const mergedTags = [...new Set([...(row.tags ? (JSON.parse(row.tags) as string[]) : []), ...tags])];
    const mergedAttributes = { ...attributes, ...(row.attributes ? (JSON.parse(row.attributes) as Record<string, string>) : {}) };
    await this.sql.run('UPDATE contacts SET tags = ?, attributes = ? WHERE workspace_id = ? AND id = ?', [
      mergedTags.length > 0 ? JSON.stringify(mergedTags) : null,
      Object.keys(mergedAttributes).length > 0 ? JSON.stringify(mergedAttributes) : null,
      workspaceId,
      contactId,
    ]);
  }

  /** Tags and attributes of contacts (for the export). */
  async extras(workspaceId: string, ids: readonly string[]): Promise<Map<string, { tags: string[]; attributes: Record<string, string> }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.sql.all<{ id: string; tags: string | null; attributes: string | null }>(
      `SELECT id, tags, attributes FROM contacts WHERE workspace_id = ? AND id IN (${placeholders(ids.length)})`,
      [workspaceId, ...ids],
    );
    return new Map(
      rows.map((row) => [
        row.id,
        {
          tags: row.tags ? (JSON.parse(row.tags) as string[]) : [],
          attributes: row.attributes ? (JSON.parse(row.attributes) as Record<string, string>) : {},
        },
      ]),
    );
  }

  /** The email and phone on file of every contact that has one (their keys, for an import to match). */
  async keyedFields(workspaceId: string): Promise<Array<{ id: string; email: string | null; phone: string | null }>> {
    return this.sql.all(
      'SELECT id, email, phone FROM contacts WHERE workspace_id = ? AND (email IS NOT NULL OR phone IS NOT NULL) ORDER BY id',
      [workspaceId],
    );
  }

  async companyNames(workspaceId: string): Promise<Array<{ id: string; name: string; domain: string | null }>> {
    return this.sql.all('SELECT id, name, domain FROM companies WHERE workspace_id = ? ORDER BY id', [workspaceId]);
  }
}

/** Companies, found by their email domain. */
export class CompanyQueries {
  constructor(private readonly sql: Sql) {}

  async byDomain(workspaceId: string, domain: string): Promise<Company | undefined> {
    const row = await this.sql.get<{ id: string; workspace_id: string; name: string; domain: string | null }>(
      'SELECT id, workspace_id, name, domain FROM companies WHERE workspace_id = ? AND domain = ? ORDER BY id LIMIT 1',
      [workspaceId, domain],
    );
    return row && { id: row.id, workspaceId: row.workspace_id, name: row.name, domain: row.domain };
  }

  async list(workspaceId: string): Promise<Array<Company & { contactCount: number }>> {
    const rows = await this.sql.all<{ id: string; workspace_id: string; name: string; domain: string | null; external_ids: string | null; contacts: number }>(
      `SELECT co.id, co.workspace_id, co.name, co.domain, co.external_ids,
         (SELECT COUNT(*) FROM contacts c WHERE c.company_id = co.id) AS contacts
       FROM companies co WHERE co.workspace_id = ? ORDER BY co.name, co.id`,
      [workspaceId],
    );
    return rows.map((row) => ({
      id: row.id, workspaceId: row.workspace_id, name: row.name, domain: row.domain, ...externalIdsOf(row.external_ids), contactCount: Number(row.contacts),
    }));
  }
}
