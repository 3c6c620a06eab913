/**
 * CSV import of contacts, streamed: rows are read as they arrive and written in batches, each
 * deduplicated against the workspace's contacts and the rows before it by strong key. A row that
 * names people already known goes through the one path of keys, so a row whose email is one
 * contact's and whose phone is another's makes them one. Phones without a country code are read
 * in the workspace's country.
 */
import { pipeline, type Readable } from 'node:stream';
import { externalIdValueSchema, externalSystemSchema, type Agent, type Contact, type ImportReport, type ImportRowReport } from '@charla/protocol';
import { parse } from 'csv-parse';
import type { CountryCode } from 'libphonenumber-js';
import { newId, nowIso } from '../ids.js';
import { contactChanged, requireContact } from '../services/changes.js';
import { applyExternalIds, holderOf } from '../services/external-ids.js';
import type { ContactFields, ImportedContact, Store, StoreScope } from '../store/index.js';
import { readingCountry, writeContactKeys, type KeyCause } from './claim.js';
import { businessDomain, companyNameOf, emailKey, normalizeEmail, phoneKey, readPhone } from './keys.js';
import { keysOf } from './resolve.js';

export const IMPORT_ROW_LIMIT = 50_000;
const BATCH_ROWS = 2000;
const KNOWN_COLUMNS = new Set(['name', 'email', 'phone', 'company', 'tags']);
/** `external_id:hubspot`: the contact's id in another system (one column per system). */
const EXTERNAL_ID_COLUMN = /^external_id:(.*)$/;

/** The row's ids in other systems, or why they cannot be read. */
function externalIdsOfRow(values: Record<string, string | undefined>): { ids: Record<string, string> } | { error: string } {
  const ids: Record<string, string> = {};
  for (const [column, raw] of Object.entries(values)) {
    const system = EXTERNAL_ID_COLUMN.exec(column)?.[1];
    if (system === undefined || !raw?.trim()) continue;
    const name = externalSystemSchema.safeParse(system);
    const id = externalIdValueSchema.safeParse(raw);
    if (!name.success || !id.success) return { error: `${column}: ${(name.error ?? id.error)!.issues[0]!.message}` };
    ids[name.data] = id.data;
  }
  return { ids };
}

interface Row {
  line: number;
  values: Record<string, string>;
}

/**
 * Which contact holds each key, in memory for the length of an import: contacts merged on the way
 * point at the one they became.
 */
class KeyOwners {
  readonly #owner = new Map<string, string>();
  readonly #mergedInto = new Map<string, string>();

  set(key: string, contactId: string): void {
    this.#owner.set(key, contactId);
  }

  /** Keeps the first (oldest) holder of a key. */
  add(key: string, contactId: string): void {
    if (!this.#owner.has(key)) this.#owner.set(key, contactId);
  }

  get(key: string): string | undefined {
    let id = this.#owner.get(key);
    while (id && this.#mergedInto.has(id)) id = this.#mergedInto.get(id);
    return id;
  }

  merged(mergedId: string, survivorId: string): void {
    this.#mergedInto.set(mergedId, survivorId);
  }

  copy(): KeyOwners {
    const copy = new KeyOwners();
    for (const [key, id] of this.#owner) copy.#owner.set(key, id);
    for (const [id, survivor] of this.#mergedInto) copy.#mergedInto.set(id, survivor);
    return copy;
  }
}

/** Imports a CSV stream with a header row (name, email, phone, company, tags, any other = attribute). */
export async function importContacts(store: Store, agent: Agent, input: Readable, maxRows = IMPORT_ROW_LIMIT): Promise<ImportReport> {
  const workspaceId = agent.workspaceId;
  let keyOwner = new KeyOwners();
  for (const { key, contactId } of await store.identity.allKeys(workspaceId)) keyOwner.add(key, contactId);
  // Contacts whose email or phone was written before every write kept its keys.
  for (const contact of await store.imports.keyedFields(workspaceId)) {
    for (const key of keysOf({ ...contact, identities: [] })) keyOwner.add(key, contact.id);
  }
  const country = await readingCountry(store, { workspaceId, phone: null, identities: [] });
  let companies = new Map<string, string>();
  for (const company of await store.imports.companyNames(workspaceId)) {
    companies.set(`name:${company.name.toLowerCase()}`, company.id);
    if (company.domain) companies.set(`domain:${company.domain}`, company.id);
  }
  const report: ImportReport = { created: 0, merged: 0, rejected: 0, rows: [] };
  const record = (entry: ImportRowReport) => {
    report.rows.push(entry);
    report[entry.outcome] += 1;
  };

  const parser = parse({
    columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
    // A malformed record is reported as rejected; the rest of the file goes on.
    skip_records_with_error: true,
  });
  // PostgreSQL may run a batch's transaction again: each attempt starts from what the batches
  // before it committed, and only the attempt that commits is kept and reported.
  const importRows = async (rows: Row[]) => {
    const done = await store.transaction(async (scope) => {
      const owners = keyOwner.copy();
      const known = new Map(companies);
      const entries: ImportRowReport[] = [];
      await importBatch(scope, agent, country, rows, owners, known, (entry) => entries.push(entry));
      return { owners, known, entries };
    });
    keyOwner = done.owners;
    companies = done.known;
    done.entries.forEach(record);
  };
  // An error of the input (a body over its size limit) ends the loop below through the parser.
  pipeline(input, parser, () => {});
  let batch: Row[] = [];
  let line = 0;
  // Past the row limit the report says so once, not once per row (a report as large as the file).
  let overLimit = false;
  const beyondLimit = (): boolean => {
    if (line <= maxRows) return false;
    if (!overLimit) record({ row: line, outcome: 'rejected', contactId: null, reason: `over the limit of ${maxRows} rows: this row and the rest of the file were not imported` });
    overLimit = true;
    return true;
  };
  parser.on('skip', (error: Error) => {
    line += 1;
    if (!beyondLimit()) record({ row: line, outcome: 'rejected', contactId: null, reason: `not valid CSV: ${error.message.slice(0, 200)}` });
  });
  for await (const values of parser as AsyncIterable<Record<string, string>>) {
    line += 1;
    if (beyondLimit()) break;
    batch.push({ line, values });
    if (batch.length >= BATCH_ROWS) {
      const rows = batch;
      batch = [];
      await importRows(rows);
    }
  }
  if (batch.length > 0) await importRows(batch);
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
  country: CountryCode,
  rows: Row[],
  keyOwner: KeyOwners,
  companies: Map<string, string>,
  record: (entry: ImportRowReport) => void,
): Promise<void> {
  const workspaceId = agent.workspaceId;
  const created: ImportedContact[] = [];
  const createdById = new Map<string, ImportedContact>();
  const newKeys: Array<{ key: string; contactId: string }> = [];
  /** External ids of contacts created by this batch (written once the contacts are). */
  const pendingRefs: Array<{ contactId: string; ids: Record<string, string> }> = [];
  const importedRefs = new Map<string, string>();
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
    const phone = rawPhone ? readPhone(rawPhone, country) : null;
    if (rawEmail && !email) {
      record({ row: line, outcome: 'rejected', contactId: null, reason: `email: "${rawEmail}" is not a valid address` });
      continue;
    }
    if (rawPhone && !phone) {
      record({ row: line, outcome: 'rejected', contactId: null, reason: `phone: "${rawPhone}" is not a valid number of ${country}, nor one with its country code (+…)` });
      continue;
    }
    if (!name && !email && !phone) {
      record({ row: line, outcome: 'rejected', contactId: null, reason: 'the row has no name, email or phone' });
      continue;
    }
    const tags = (values.tags ?? '').split(/[;,|]/).map((t) => t.trim()).filter(Boolean);
    const attributes: Record<string, string> = {};
    for (const [column, value] of Object.entries(values)) if (!KNOWN_COLUMNS.has(column) && !EXTERNAL_ID_COLUMN.test(column) && value) attributes[column] = value;
    const external = externalIdsOfRow(values);
    if ('error' in external) {
      record({ row: line, outcome: 'rejected', contactId: null, reason: external.error });
      continue;
    }
    const keys = [email ? emailKey(email) : null, phone ? phoneKey(phone) : null].filter((k): k is NonNullable<typeof k> => k !== null);
    const owners = [...new Set(keys.map((key) => keyOwner.get(key)).filter((id): id is string => id !== undefined))].sort();
    // A contact holding one of the row's external ids is the row's contact (a sync from that system).
    const refHolders = new Set<string>();
    for (const [system, id] of Object.entries(external.ids)) {
      const holder = importedRefs.get(`${system}:${id}`) ?? (await holderOf(scope, workspaceId, 'contact', { system, id }));
      if (holder) refHolders.add(holder);
    }
    if (refHolders.size > 1 || (refHolders.size === 1 && owners.length > 0 && !owners.includes([...refHolders][0]!))) {
      record({ row: line, outcome: 'rejected', contactId: null, reason: 'the external ids belong to another contact than the email or phone' });
      continue;
    }
    if (owners.length === 0 && refHolders.size === 1) owners.push([...refHolders][0]!);

    if (owners.length === 0) {
      const contact: ImportedContact = {
        id: newId('ct'), workspaceId, name, email, phone, companyId: await companyFor(values.company?.trim() || null, email),
        tags, attributes, createdAt: now,
      };
      created.push(contact);
      createdById.set(contact.id, contact);
      if (Object.keys(external.ids).length > 0) {
        pendingRefs.push({ contactId: contact.id, ids: external.ids });
        for (const [system, id] of Object.entries(external.ids)) importedRefs.set(`${system}:${id}`, contact.id);
      }
      for (const key of keys) {
        keyOwner.set(key, contact.id);
        newKeys.push({ key, contactId: contact.id });
      }
      record({ row: line, outcome: 'created', contactId: contact.id, reason: null });
      continue;
    }

    // The row names people we know: the oldest takes what it says, and everyone else it names is
    // the same person (their keys now meet on one contact, which merges them).
    const matchedKinds = [...new Set(keys.filter((key) => keyOwner.get(key)).map((key) => key.split(':')[0]))];
    if (owners.some((id) => createdById.has(id))) {
      await scope.imports.insertContacts(created.splice(0));
      await scope.imports.insertKeys(workspaceId, newKeys.splice(0));
      createdById.clear();
    }
    const existing = await requireContact(scope, workspaceId, owners[0]!);
    const fill: ContactFields = {};
    if (!existing.name && name) Object.assign(fill, { name, nameSource: 'import' });
    if (!existing.companyId) {
      const companyId = await companyFor(values.company?.trim() || null, email ?? existing.email);
      if (companyId) fill.companyId = companyId;
    }
    if (Object.keys(fill).length > 0) await scope.contacts.update(workspaceId, existing.id, fill, now);
    if (tags.length > 0 || Object.keys(attributes).length > 0) await scope.imports.mergeExtras(workspaceId, existing.id, tags, attributes);
    const cause: KeyCause = { actor: { kind: 'agent', id: agent.id, name: agent.name }, how: `row ${line} of an import`, via: 'import', row: line };
    const filled = Object.keys(fill).length > 0 ? { ...existing, ...fill, updatedAt: now } : existing;
    const settled = await writeContactKeys(scope, filled, { email, phone }, cause);
    const contact = settled?.contact ?? filled;
    // Written keys log the contact; a row that only filled the name or the company logs it here.
    if (!settled && Object.keys(fill).length > 0) contactChanged(scope, contact);
    if (Object.keys(external.ids).length > 0) {
      const current = await requireContact(scope, workspaceId, contact.id);
      await applyExternalIds(scope, workspaceId, 'contact', contact.id, current.externalIds, external.ids);
    }
    const mergedIds = settled?.mergedIds ?? [];
    for (const mergedId of mergedIds) keyOwner.merged(mergedId, contact.id);
    for (const key of keysOf(contact)) keyOwner.set(key, contact.id);
    const reason = mergedIds.length > 0
      ? `the ${matchedKinds.join(' and ')} of ${mergedIds.length + 1} contacts: merged into one`
      : `same ${matchedKinds.join(' and ')} as an existing contact`;
    record({ row: line, outcome: 'merged', contactId: contact.id, reason, ...(mergedIds.length > 0 ? { mergedIds } : {}) });
  }
  await scope.imports.insertContacts(created);
  await scope.imports.insertKeys(workspaceId, newKeys);
  for (const { contactId, ids } of pendingRefs) await applyExternalIds(scope, workspaceId, 'contact', contactId, undefined, ids);
}

const CSV_COLUMNS = ['id', 'name', 'email', 'phone', 'company', 'tags', 'identities', 'created_at'] as const;

export function csvCell(value: string): string {
  // Cells a spreadsheet would run as a formula are prefixed so they stay text.
  const safe = /^[=+\-@\t\r]/.test(value) && !/^\+\d/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const EXPORT_PAGE = 1000;

/** The workspace's contacts (or those of `ids`), a thousand at a time. */
async function* contactPages(store: Store, workspaceId: string, ids?: readonly string[]): AsyncGenerator<Contact[]> {
  if (ids) {
    for (let start = 0; start < ids.length; start += EXPORT_PAGE) {
      const page = await store.contacts.many(workspaceId, ids.slice(start, start + EXPORT_PAGE));
      yield page.sort((a, b) => (a.id < b.id ? -1 : 1));
    }
    return;
  }
  let afterId: string | undefined;
  for (;;) {
    const page = await store.contacts.list(workspaceId, { ...(afterId ? { afterId } : {}), limit: EXPORT_PAGE });
    if (page.length === 0) return;
    yield page;
    afterId = page.at(-1)!.id;
  }
}

/** Every contact of the workspace (or those of `ids`), as CSV or JSON lines written to `write` page by page. */
export async function exportContacts(
  store: Store, agent: Agent, format: 'csv' | 'json', write: (chunk: string) => void, ids?: readonly string[],
): Promise<void> {
  const companies = new Map((await store.imports.companyNames(agent.workspaceId)).map((c) => [c.id, c.name]));
  let first = true;
  if (format === 'csv') write(`${CSV_COLUMNS.join(',')}\n`);
  else write('[');
  for await (const page of contactPages(store, agent.workspaceId, ids)) {
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
  }
  if (format === 'json') write('\n]\n');
}
