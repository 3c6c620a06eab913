/**
 * The contacts directory over 100,000 contacts (30,000 purchases, 50,000 conversations, 5,000
 * overdue tasks) on a real server with SQLite: the first page of `POST /api/v1/contacts/search`,
 * one sorted by lifetime value, every built-in segment's count (`GET /api/v1/segments`), and
 * `<charla-contacts>` scrolled through 100,000 rows in headless Chromium (p95 frame, budget ≤ 16.7 ms;
 * DOM rows, budget: tens).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../server/src/db.js';
import { newId } from '../../server/src/ids.js';
import { api, startServer } from '../server/helpers.js';
import { percentile, runInBrowser } from './support/browser-bench.js';

const CONTACTS = 100_000;
const DAY = 86_400_000;

// The data is written straight into the database while no server holds it, then a server opens it.
const dir = await mkdtemp(join(tmpdir(), 'charla-bench-contacts-'));
const first = await startServer({ dir });
const { workspace, agent } = first.acme;
await first.close();
await seed();
const test = await startServer({ dir, dbPath: first.dbPath });

async function seed(): Promise<void> {
  const db = await Database.open(first.dbPath);
  const workspaceId = workspace.id;
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const insert = async (table: string, columns: string[], rows: unknown[][]) => {
    const batch = Math.floor(30_000 / columns.length);
    for (let start = 0; start < rows.length; start += batch) {
      const slice = rows.slice(start, start + batch);
      await db.run(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${slice.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ')}`,
        slice.flat() as string[],
      );
    }
  };
  const ids = Array.from({ length: CONTACTS }, () => newId('ct'));
  await db.transaction(async () => {
    await insert('contacts', ['id', 'workspace_id', 'name', 'email', 'tags', 'created_at', 'updated_at'], ids.map((id, i) => [
      id, workspaceId, `Cliente ${i}`, `cliente${i}@example.com`, i % 5 === 0 ? '["vip"]' : null, iso(now - (i % 400) * DAY), iso(now),
    ]));
    await insert('business_events', ['id', 'workspace_id', 'kind', 'contact_id', 'amount_cents', 'currency', 'occurred_at', 'created_at'],
      Array.from({ length: 30_000 }, (_, i) => [newId('be'), workspaceId, 'purchase', ids[(i * 7) % CONTACTS]!, 1000 + (i % 50) * 5000, 'USD', iso(now - (i % 200) * DAY), iso(now)]));
    await insert('conversations', ['id', 'workspace_id', 'contact_id', 'channel', 'status', 'priority', 'labels', 'last_message_at', 'waiting_since', 'created_at', 'updated_at'],
      Array.from({ length: 50_000 }, (_, i) => [
        newId('cv'), workspaceId, ids[(i * 2) % CONTACTS]!, 'whatsapp', i % 3 ? 'resolved' : 'open', 'none', '[]', iso(now - (i % 120) * DAY),
        i % 3 ? null : iso(now - (i % 5) * DAY), iso(now - 200 * DAY), iso(now),
      ]));
    await insert('tasks', ['id', 'workspace_id', 'title', 'due_at', 'done', 'contact_id', 'created_at', 'updated_at'],
      Array.from({ length: 5000 }, (_, i) => [newId('tk'), workspaceId, 'Llamar', iso(now - DAY), 0, ids[(i * 13) % CONTACTS]!, iso(now), iso(now)]));
  });
  await db.close();
}

/** The median of `runs` timings of `fn`, in milliseconds. */
async function median(runs: number, fn: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return percentile(times, 50);
}

try {
  const token = agent.token;
  const search = async (body: unknown) => {
    const res = await api(test.url, '/api/v1/contacts/search', { token, method: 'POST', body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  assert.equal((await search({ limit: 1 })).total, CONTACTS);
  const firstPage = await median(5, async () => void (await search({ limit: 100 })));
  const byValue = await median(3, async () => void (await search({ sort: 'ltv', direction: 'desc', limit: 100 })));
  const filtered = await median(3, async () => void (await search({ filter: { tags: ['vip'], segment: 'active' }, limit: 100 })));
  let counts = '';
  const segments = await median(3, async () => {
    const res = await api(test.url, '/api/v1/segments', { token });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    counts = (res.body.segments as Array<{ id: string; count: number }>).map((s) => `${s.id} ${s.count}`).join(', ');
  });
  console.log(`segments: ${counts}`);
  console.log(`contacts-sorted-by-ltv: ${byValue.toFixed(0)} ms`);
  console.log(`contacts-filtered (vip, active): ${filtered.toFixed(0)} ms`);
  console.log(`contacts-segments (all six counted): ${segments.toFixed(0)} ms`);
  console.log(`contacts-first-page: ${firstPage.toFixed(0)} ms`);

  const scroll = await runInBrowser<{ frames: number[]; renders: number[]; maxRows: number; scrolled: number }>('contacts-scroll');
  console.log(`frames measured: ${scroll.frames.length}, scrolled ${Math.round(scroll.scrolled)} px, median ${percentile(scroll.frames, 50).toFixed(1)} ms`);
  console.log(`component render per update: median ${percentile(scroll.renders, 50).toFixed(2)} ms, p95 ${percentile(scroll.renders, 95).toFixed(2)} ms`);
  console.log(`contacts-scroll-dom-rows: ${scroll.maxRows} rows`);
  console.log(`contacts-scroll: ${percentile(scroll.frames, 95).toFixed(1)} ms`);
  if (scroll.maxRows > 60) process.exitCode = 1;
} finally {
  await test.close();
  await rm(dir, { recursive: true, force: true });
}
