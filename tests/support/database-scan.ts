/**
 * Where strings occur in a test server's database, read below the server: the SQLite file and its
 * WAL byte by byte, or every row of every PostgreSQL table (see databaseOption).
 */
import { readFile } from 'node:fs/promises';
import { databaseOption } from '../server/helpers.js';
import { testsUsePostgres } from './postgres.js';

/** Where `needles` occur in the database: the SQLite file (and its WAL) byte by byte, or every PostgreSQL table. */
export async function databaseHits(dbPath: string, needles: string[]): Promise<string[]> {
  const hits: string[] = [];
  if (testsUsePostgres()) {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: (await databaseOption(dbPath)).databaseAdminUrl });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
      for (const { table_name: table } of tables.rows) {
        const rows = await client.query(`SELECT * FROM "${table}"`);
        const text = JSON.stringify(rows.rows).toLowerCase();
        for (const needle of needles) if (text.includes(needle.toLowerCase())) hits.push(`${needle} in table ${table}`);
      }
    } finally {
      await client.end();
    }
    return hits;
  }
  for (const file of [dbPath, `${dbPath}-wal`]) {
    const bytes = await readFile(file).catch(() => Buffer.alloc(0));
    for (const needle of needles) {
      if (bytes.includes(Buffer.from(needle, 'utf8'))) hits.push(`${needle} in ${file}`);
      if (bytes.includes(Buffer.from(needle.toLowerCase(), 'utf8'))) hits.push(`${needle} (lowercase) in ${file}`);
    }
  }
  return hits;
}
