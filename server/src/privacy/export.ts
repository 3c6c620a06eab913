/**
 * One person's data, for the rights of access and portability: a zip with `contact.json` (the
 * contact, identities, notes, deals, tasks, purchases, payments, invoices, claims, AI insights and
 * AI-filled fields), `conversations/<id>.json` (each conversation with every message),
 * `messages.csv` (every message, readable in a spreadsheet) and `media/<message id>` (the files
 * they sent and received).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { csvCell } from '../identity/import.js';
import { nowIso } from '../ids.js';
import { notFound } from '../failure.js';
import type { Store, StoredRow } from '../store/index.js';
import { exportFile, mediaFilesOf, type PrivacyFiles } from './erase.js';

const PAGE = 1000;

const CSV_COLUMNS = ['conversation_id', 'channel', 'created_at', 'direction', 'sender_kind', 'sender_name', 'type', 'private', 'status', 'body'] as const;

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

const README = `This archive holds everything Charla stores about one person.

contact.json             the contact, their channel identities, notes, deals, tasks,
                         purchases, payments, invoices and claims, AI insights and AI-filled fields,
                         and the broadcasts sent to them (message, status, reason)
conversations/<id>.json  each conversation with every message
messages.csv             every message, one per line (UTF-8, comma-separated)
media/<message id>       files sent or received in those messages
`;

/** The archive of one contact, ready to be piped (`zip.outputStream`). Fails with not_found for an unknown contact. */
export async function dataExport(store: Store, files: PrivacyFiles, workspaceId: string, contactId: string): Promise<yazl.ZipFile> {
  const contact = await store.privacy.contactRow(workspaceId, contactId);
  if (!contact) throw notFound('Contact');
  const of = (table: Parameters<Store['privacy']['rowsOf']>[0]) => store.privacy.rowsOf(table, workspaceId, contactId);
  const [identities, notes, conversations, deals, tasks, businessEvents, aiInsights, aiFilledFields, broadcasts] = await Promise.all([
    of('identities'), of('notes'), of('conversations'), of('deals'), of('tasks'), of('business_events'), of('ai_insights'), of('ai_filled_fields'),
    of('broadcast_recipients'),
  ]);
  const byKind = (kind: string) => businessEvents.filter((row) => row.kind === kind);
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(README, 'utf8'), 'README.txt');
  zip.addBuffer(
    json({
      exportedAt: nowIso(),
      contact,
      identities,
      notes,
      deals,
      tasks,
      purchases: byKind('purchase'),
      payments: byKind('payment'),
      invoices: byKind('invoice'),
      claims: byKind('claim'),
      aiInsights,
      aiFilledFields,
      broadcasts,
      conversations: conversations.map((row) => row.id),
    }),
    'contact.json',
  );
  const csv: string[] = [`${CSV_COLUMNS.join(',')}\n`];
  const media: string[] = [];
  for (const conversation of conversations) {
    const messages: StoredRow[] = [];
    for (let after = ''; ;) {
      const page = await store.privacy.messagesPage(workspaceId, String(conversation.id), after, PAGE);
      messages.push(...page);
      if (page.length < PAGE) break;
      after = String(page.at(-1)!.id);
    }
    for (const message of messages) {
      const row = { ...message, channel: conversation.channel, private: message.private ? 'yes' : 'no' } as Record<string, unknown>;
      csv.push(`${CSV_COLUMNS.map((column) => csvCell(row[column] === null || row[column] === undefined ? '' : String(row[column]))).join(',')}\n`);
      const content = message.content as { media?: { url?: string }; attachments?: unknown[] } | null;
      if (content?.media?.url || content?.attachments?.length) media.push(String(message.id));
    }
    zip.addBuffer(json({ ...conversation, messages }), `conversations/${String(conversation.id)}.json`);
  }
  zip.addBuffer(Buffer.from(csv.join(''), 'utf8'), 'messages.csv');
  for (const { name, path } of await mediaFilesOf(files, workspaceId, media)) {
    const file = await stat(path).catch(() => null);
    if (file?.isFile()) zip.addFile(path, `media/${name}`);
  }
  zip.end();
  return zip;
}

/** Writes the archive of a data export job to its file (complete or not at all). */
export async function writeDataExport(store: Store, files: PrivacyFiles, workspaceId: string, contactId: string, jobId: string): Promise<void> {
  const target = exportFile(files, workspaceId, jobId);
  const partial = `${target}.partial`;
  await mkdir(dirname(target), { recursive: true });
  const zip = await dataExport(store, files, workspaceId, contactId);
  try {
    await pipeline(zip.outputStream, createWriteStream(partial, { mode: 0o600 }));
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
