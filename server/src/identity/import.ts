/**
 * CSV import of contacts, streamed: rows are read as they arrive and written in batches, each
 * deduplicated against the workspace's contacts and the rows before it by strong key.
 */
import type { Readable } from 'node:stream';
import type { Agent, ImportReport, ImportRowReport } from '@charla/protocol';
import { parse } from 'csv-parse';
import { newId, nowIso } from '../ids.js';
import type { ImportedContact, Store, StoreScope } from '../store/index.js';
import { businessDomain, canonicalPhone, companyNameOf, emailKey, normalizeEmail, phoneKey } from './keys.js';
import { mergeContacts, olderOf } from './resolve.js';

export const IMPORT_ROW_LIMIT = 50_000;
const BATCH_ROWS = 2000;
const KNOWN_COLUMNS = new Set(['name', 'email', 'phone', 'company', 'tags']);

interface Row {
  line: number;
  values: Record<string, string>;
}

/** Imports a CSV stream with a header row (name, email, phone, company, tags, any other = attribute). */
export async function importContacts(store: Store, agent: Agent, input: Readable): Promise<ImportReport> {
  const workspaceId = agent.workspaceId;
  const keyOwner = new Map<string, string>();
  for (const { key, contactId } of await store.identity.allKeys(workspaceId)) if (!keyOwner.has(key)) keyOwner.set(key, contactId);
  const companies = new Map<string, string>();
  for (const company of await store.imports.companyNames(workspaceId)) {
    companies.set(`name:${company.name.toLowerCase()}`, company.id);
    if (company.domain) companies.set(`domain:${company.domain}`, company.id);
  }
  const report: ImportReport = { created: 0, merged: 0, rejected: 0, rows: [] };
  const record = (entry: ImportRowReport) => {
    report.rows.push(entry);
    report[entry.outcome] += 1;
  };

  const parser = input.pipe(
    parse({
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
      // A malformed record is reported as rejected; the rest of the file goes on.
      skip_records_with_error: true,
    }),
  );
  let batch: Row[] = [];
  let line = 0;
  parser.on('skip', (error: Error) => {
    line += 1;
    record({ row: line, outcome: 'rejected', contactId: null, reason: `not valid CSV: ${error.message}` });
  });
  for await (const values of parser as AsyncIterable<Record<string, string>>) {
    line += 1;
    if (line > IMPORT_ROW_LIMIT) {
      record({ row: line, outcome: 'rejected', contactId: null, reason: `over the limit of ${IMPORT_ROW_LIMIT} rows` });
      continue;
    }
    batch.push({ line, values });
    if (batch.length >= BATCH_ROWS) {
      const rows = batch;
      batch = [];
      await store.transaction((scope) => importBatch(scope, agent, rows, keyOwner, companies, record));
    }
  }
  if (batch.length > 0) await store.transaction((scope) => importBatch(scope, agent, batch, keyOwner, companies, record));
  await store.transaction(async (scope) =>
    scope.audit.record({
      workspaceId, actorKind: 'agent', actorId: agent.id, action: 'contact.import', targetKind: 'workspace', targetId: workspaceId,
      data: { created: report.created, merged: report.merged, rejected: report.rejected },
    }),
  );
  return report;
}

async function importBatch(
  scope: StoreScope,
  agent: Agent,
  rows: Row[],
  keyOwner: Map<string, string>,
  companies: Map<string, string>,
  record: (entry: ImportRowReport) => void,
): Promise<void> {
  const workspaceId = agent.workspaceId;
  const created: ImportedContact[] = [];
  const createdById = new Map<string, ImportedContact>();
  const newKeys: Array<{ key: string; contactId: string }> = [];
  const now = nowIso();

  const companyFor = async (name: string | null, email: string | null): Promise<string | null> => {
    const domain = email ? businessDomain(email) : null;
    const cacheKey = name ? `name:${name.toLowerCase()}` : domain ? `domain:${domain}` : null;
    if (!cacheKey) return null;
    const known = companies.get(cacheKey);
    if (known) return known;
    const company = { id: newId('co'), workspaceId, name: name ?? companyNameOf(domain!), domain };
    await scope.contacts.insertCompany(company, now);
    companies.set(cacheKey, company.id);
    if (domain) companies.set(`domain:${domain}`, company.id);
    return company.id;
  };

  for (const { line, values } of rows) {
    const name = values.name?.trim() || null;
    const rawEmail = values.email?.trim() || null;
    const rawPhone = values.phone?.trim() || null;
    const email = rawEmail ? normalizeEmail(rawEmail) : null;
    const phone = rawPhone ? canonicalPhone(rawPhone) : null;
    if (rawEmail && !email) {
      record({ row: line, outcome: 'rejected', contactId: null, reason: `email: "${rawEmail}" is not a valid address` });
      continue;
    }
    if (rawPhone && !phone) {
      record({ row: line, outcome: 'rejected', contactId: null, reason: `phone: "${rawPhone}" is not an international number (+country code)` });
      continue;
    }
    if (!name && !email && !phone) {
      record({ row: line, outcome: 'rejected', contactId: null, reason: 'the row has no name, email or phone' });
      continue;
    }
    const tags = (values.tags ?? '').split(/[;,|]/).map((t) => t.trim()).filter(Boolean);
    const attributes: Record<string, string> = {};
    for (const [column, value] of Object.entries(values)) if (!KNOWN_COLUMNS.has(column) && value) attributes[column] = value;
    const keys = [email ? emailKey(email) : null, phone ? phoneKey(phone) : null].filter((k): k is NonNullable<typeof k> => k !== null);
    const owners = [...new Set(keys.map((key) => keyOwner.get(key)).filter((id): id is string => id !== undefined))].sort();

    if (owners.length === 0) {
      const contact: ImportedContact = {
        id: newId('ct'), workspaceId, name, email, phone, companyId: await companyFor(values.company?.trim() || null, email),
        tags, attributes, createdAt: now,
      };
      created.push(contact);
      createdById.set(contact.id, contact);
      for (const key of keys) {
        keyOwner.set(key, contact.id);
        newKeys.push({ key, contactId: contact.id });
      }
      record({ row: line, outcome: 'created', contactId: contact.id, reason: null });
      continue;
    }

    // The row names people we know: fill what they lack (a row linking several makes them one).
    const matchedKinds = [...new Set(keys.filter((key) => keyOwner.has(key)).map((key) => key.split(':')[0]))];
    const pending = owners.filter((id) => createdById.has(id));
    if (pending.length > 0) {
      await scope.imports.insertContacts(created.splice(0));
      await scope.imports.insertKeys(workspaceId, newKeys.splice(0));
      createdById.clear();
    }
    let survivor = owners[0]!;
    for (const other of owners.slice(1)) {
      const [keep, merged] = olderOf(survivor, other);
      await mergeContacts(scope, workspaceId, keep, merged, { kind: 'agent', id: agent.id, name: agent.name }, `the same person in row ${line} of an import`);
      survivor = keep;
      for (const [key, owner] of keyOwner) if (owner === merged) keyOwner.set(key, keep);
    }
    const existing = await scope.contacts.get(workspaceId, survivor);
    if (existing) {
      const fill: Record<string, string> = {};
      if (!existing.name && name) fill.name = name;
      if (!existing.email && email) fill.email = email;
      if (!existing.phone && phone) fill.phone = phone;
      if (!existing.companyId) {
        const companyId = await companyFor(values.company?.trim() || null, email ?? existing.email);
        if (companyId) fill.companyId = companyId;
      }
      if (Object.keys(fill).length > 0) await scope.contacts.update(workspaceId, survivor, fill, now);
      if (tags.length > 0 || Object.keys(attributes).length > 0) await scope.imports.mergeExtras(workspaceId, survivor, tags, attributes);
      // A different email or phone on the row is kept as a key of the contact too.
      const newKeysOfSurvivor = keys.filter((key) => keyOwner.get(key) !== survivor);
      if (newKeysOfSurvivor.length > 0) await scope.identity.addKeys(workspaceId, survivor, newKeysOfSurvivor);
      for (const key of keys) keyOwner.set(key, survivor);
      if (Object.keys(fill).length > 0) {
        const contact = { ...existing, ...fill, updatedAt: now };
        scope.events.append(workspaceId, { type: 'contact.upserted', conversationId: null, contactId: survivor, visibility: 'agents', data: { contact } });
      }
    }
    record({ row: line, outcome: 'merged', contactId: survivor, reason: `same ${matchedKinds.join(' and ')} as an existing contact` });
  }
  await scope.imports.insertContacts(created);
  await scope.imports.insertKeys(workspaceId, newKeys);
}

const CSV_COLUMNS = ['id', 'name', 'email', 'phone', 'company', 'tags', 'identities', 'created_at'] as const;

function csvCell(value: string): string {
  // Cells a spreadsheet would run as a formula are prefixed so they stay text.
  const safe = /^[=+\-@\t\r]/.test(value) && !/^\+\d/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Every contact of the workspace, as CSV or JSON lines written to `write` page by page. */
export async function exportContacts(store: Store, agent: Agent, format: 'csv' | 'json', write: (chunk: string) => void): Promise<void> {
  const companies = new Map((await store.imports.companyNames(agent.workspaceId)).map((c) => [c.id, c.name]));
  let afterId: string | undefined;
  let first = true;
  if (format === 'csv') write(`${CSV_COLUMNS.join(',')}\n`);
  else write('[');
  for (;;) {
    const page = await store.contacts.list(agent.workspaceId, { ...(afterId ? { afterId } : {}), limit: 1000 });
    if (page.length === 0) break;
    const extras = await store.imports.extras(agent.workspaceId, page.map((c) => c.id));
    for (const contact of page) {
      const extra = extras.get(contact.id) ?? { tags: [], attributes: {} };
      const company = contact.companyId ? (companies.get(contact.companyId) ?? null) : null;
      if (format === 'csv') {
        const identities = contact.identities.map((i) => `${i.channel}:${i.handle}`).join(' ');
        const cells = [contact.id, contact.name ?? '', contact.email ?? '', contact.phone ?? '', company ?? '', extra.tags.join(';'), identities, contact.createdAt];
        write(`${cells.map(csvCell).join(',')}\n`);
      } else {
        write(`${first ? '' : ','}\n${JSON.stringify({ ...contact, company, tags: extra.tags, attributes: extra.attributes })}`);
        first = false;
      }
    }
    afterId = page.at(-1)!.id;
  }
  if (format === 'json') write('\n]\n');
}
