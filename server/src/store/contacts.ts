import { externalIdsOf } from './external-refs.js';
import type { Channel, Company, Contact, Identity, Note } from '@charla/protocol';
import type { Sql, SqlParam } from '../db.js';
import { nowIso } from '../ids.js';
import { containsPattern, LIKE, placeholders, slices } from './like.js';
import {
  bool, toContact, toIdentity, type ContactRow, type IdentityRow,
} from './rows.js';

/** The contact fields an update may change, mapped to their columns (the only names used in SQL). */
const PATCHABLE_COLUMNS = {
  name: 'name',
  email: 'email',
  phone: 'phone',
  avatarUrl: 'avatar_url',
  companyId: 'company_id',
  nameSource: 'name_source',
} as const;

/** Fields stored as JSON text. */
const JSON_COLUMNS = { tags: 'tags', attributes: 'attributes', marketingOptOut: 'marketing_opt_out' } as const;

export type ContactFields = Partial<Pick<Contact, keyof typeof PATCHABLE_COLUMNS | keyof typeof JSON_COLUMNS>>;

/** Ids per read of `many`. */
const MANY_CHUNK = 5000;

/** Contacts with their identities, companies, and notes about contacts. */
export class ContactQueries {
  constructor(private readonly sql: Sql) {}

  async get(workspaceId: string, id: string): Promise<Contact | undefined> {
    const [contact] = await this.#withIdentities(
      await this.sql.all<ContactRow>('SELECT * FROM contacts WHERE workspace_id = ? AND id = ?', [workspaceId, id]),
    );
    return contact;
  }

  /** The contact holding a channel handle (one read instead of the identity's, then the contact's). */
  async byHandle(workspaceId: string, channel: Channel, handle: string): Promise<Contact | undefined> {
    const [contact] = await this.#withIdentities(
      await this.sql.all<ContactRow>(
        `SELECT c.* FROM identities i JOIN contacts c ON c.id = i.contact_id
         WHERE i.workspace_id = ? AND i.channel = ? AND i.handle = ? AND c.workspace_id = i.workspace_id`,
        [workspaceId, channel, handle],
      ),
    );
    return contact;
  }

  /** The contacts holding each of `handles` on `channel` (absent: no contact has it), two reads for the lot. */
  async byHandles(workspaceId: string, channel: Channel, handles: readonly string[]): Promise<Map<string, Contact>> {
    const unique = [...new Set(handles)];
    if (unique.length === 0) return new Map();
    const rows = await this.sql.all<ContactRow & { held_handle: string }>(
      `SELECT c.*, i.handle AS held_handle FROM identities i JOIN contacts c ON c.id = i.contact_id
       WHERE i.workspace_id = ? AND i.channel = ? AND i.handle IN (${placeholders(unique.length)}) AND c.workspace_id = i.workspace_id`,
      [workspaceId, channel, ...unique],
    );
    const contacts = await this.#withIdentities(rows);
    return new Map(rows.map((row, index) => [row.held_handle, contacts[index]!]));
  }

  /**
   * The contacts among `ids` that belong to the workspace, in no particular order. Read in chunks:
   * a bulk edit may name tens of thousands, more than one statement may bind.
   */
  async many(workspaceId: string, ids: readonly string[]): Promise<Contact[]> {
    const unique = [...new Set(ids)];
    const contacts: Contact[] = [];
    for (const chunk of slices(unique, MANY_CHUNK)) {
      const rows = await this.sql.all<ContactRow>(
        `SELECT * FROM contacts WHERE workspace_id = ? AND id IN (${placeholders(chunk.length)})`,
        [workspaceId, ...chunk],
      );
      contacts.push(...(await this.#withIdentities(rows)));
    }
    return contacts;
  }

  /**
   * Of the workspace's contacts among `ids`, whether each opted out of marketing (ids of other
   * workspaces or of no contact are absent). Asked in chunks: a broadcast may name tens of thousands.
   */
  async marketingConsent(workspaceId: string, ids: readonly string[]): Promise<Map<string, boolean>> {
    const unique = [...new Set(ids)];
    const consent = new Map<string, boolean>();
    for (let start = 0; start < unique.length; start += 5000) {
      const chunk = unique.slice(start, start + 5000);
      const rows = await this.sql.all<{ id: string; marketing_opt_out: string | null }>(
        `SELECT id, marketing_opt_out FROM contacts WHERE workspace_id = ? AND id IN (${placeholders(chunk.length)})`,
        [workspaceId, ...chunk],
      );
      for (const row of rows) consent.set(row.id, row.marketing_opt_out !== null);
    }
    return consent;
  }

  /** Newest first; `afterId` continues after that contact; `query` matches name, email, phone or a handle. */
  async list(workspaceId: string, options: { query?: string; afterId?: string; limit: number }): Promise<Contact[]> {
    const where = ['c.workspace_id = ?'];
    const params: SqlParam[] = [workspaceId];
    if (options.afterId) {
      where.push('c.id < ?');
      params.push(options.afterId);
    }
    if (options.query) {
      const pattern = containsPattern(options.query);
      where.push(`(LOWER(COALESCE(c.name, '')) ${LIKE} OR LOWER(COALESCE(c.email, '')) ${LIKE}
        OR LOWER(COALESCE(c.phone, '')) ${LIKE}
        OR EXISTS (SELECT 1 FROM identities i WHERE i.contact_id = c.id AND LOWER(i.handle) ${LIKE}))`);
      params.push(pattern, pattern, pattern, pattern);
    }
    const rows = await this.sql.all<ContactRow>(
      `SELECT c.* FROM contacts c WHERE ${where.join(' AND ')} ORDER BY c.id DESC LIMIT ?`,
      [...params, options.limit],
    );
    return this.#withIdentities(rows);
  }

  async insert(contact: Contact): Promise<void> {
    await this.sql.run(
      `INSERT INTO contacts (id, workspace_id, name, email, phone, avatar_url, company_id, name_source, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        contact.id, contact.workspaceId, contact.name, contact.email, contact.phone, contact.avatarUrl,
        contact.companyId, contact.nameSource ?? null, contact.createdAt, contact.updatedAt,
      ],
    );
    for (const identity of contact.identities) await this.insertIdentity(contact.workspaceId, identity);
  }

  async insertIdentity(workspaceId: string, identity: Identity): Promise<void> {
    await this.sql.run(
      `INSERT INTO identities (id, workspace_id, contact_id, channel, handle, verified, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [identity.id, workspaceId, identity.contactId, identity.channel, identity.handle, bool(identity.verified), nowIso()],
    );
  }

  async update(workspaceId: string, id: string, fields: ContactFields, updatedAt: string): Promise<void> {
    const assignments = ['updated_at = ?'];
    const params: SqlParam[] = [updatedAt];
    for (const key of Object.keys(PATCHABLE_COLUMNS) as Array<keyof typeof PATCHABLE_COLUMNS>) {
      const value = fields[key];
      if (value === undefined) continue;
      assignments.push(`${PATCHABLE_COLUMNS[key]} = ?`);
      params.push(value);
    }
    for (const key of Object.keys(JSON_COLUMNS) as Array<keyof typeof JSON_COLUMNS>) {
      const value = fields[key];
      if (value === undefined) continue;
      assignments.push(`${JSON_COLUMNS[key]} = ?`);
      params.push(value === null ? null : JSON.stringify(value));
    }
    await this.sql.run(`UPDATE contacts SET ${assignments.join(', ')} WHERE workspace_id = ? AND id = ?`, [
      ...params,
      workspaceId,
      id,
    ]);
  }

  /** Deletes the contact; its identities, visitors, conversations, messages and notes go with it. */
  async delete(workspaceId: string, id: string): Promise<void> {
    await this.sql.run('DELETE FROM contacts WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
  }

  async insertCompany(company: Company, createdAt: string): Promise<void> {
    await this.sql.run('INSERT INTO companies (id, workspace_id, name, domain, created_at) VALUES (?, ?, ?, ?, ?)', [
      company.id, company.workspaceId, company.name, company.domain, createdAt,
    ]);
  }

  async insertNote(note: Note): Promise<void> {
    await this.sql.run('INSERT INTO notes (id, workspace_id, contact_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      note.id, note.workspaceId, note.contactId, note.authorId, note.body, note.createdAt,
    ]);
  }

  /** Notes about a contact, newest first. */
  async notes(workspaceId: string, contactId: string, limit: number): Promise<Note[]> {
    const rows = await this.sql.all<{ id: string; workspace_id: string; contact_id: string; author_id: string | null; body: string; created_at: string }>(
      `SELECT id, workspace_id, contact_id, author_id, body, created_at FROM notes
       WHERE workspace_id = ? AND contact_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
      [workspaceId, contactId, limit],
    );
    return rows.map((row) => ({
      id: row.id, workspaceId: row.workspace_id, contactId: row.contact_id, authorId: row.author_id, body: row.body, createdAt: row.created_at,
    }));
  }

  async company(workspaceId: string, companyId: string): Promise<Company | undefined> {
    const row = await this.sql.get<{ id: string; workspace_id: string; name: string; domain: string | null; external_ids: string | null }>(
      'SELECT id, workspace_id, name, domain, external_ids FROM companies WHERE workspace_id = ? AND id = ?',
      [workspaceId, companyId],
    );
    return row && { id: row.id, workspaceId: row.workspace_id, name: row.name, domain: row.domain, ...externalIdsOf(row.external_ids) };
  }

  async #withIdentities(rows: ContactRow[]): Promise<Contact[]> {
    if (rows.length === 0) return [];
    const identityRows = await this.sql.all<IdentityRow>(
      `SELECT id, contact_id, channel, handle, verified FROM identities
       WHERE contact_id IN (${placeholders(rows.length)}) ORDER BY created_at, id`,
      rows.map((row) => row.id),
    );
    const byContact = new Map<string, Identity[]>();
    for (const row of identityRows) {
      const list = byContact.get(row.contact_id) ?? [];
      list.push(toIdentity(row));
      byContact.set(row.contact_id, list);
    }
    return rows.map((row) => toContact(row, byContact.get(row.id) ?? []));
  }
}
