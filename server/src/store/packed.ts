/**
 * Many narrow rows read as one text value per group. The SQLite driver builds every value it
 * returns through V8's API, a fraction of a microsecond each, so 200,000 rows of six values cost more than the
 * query that found them; packed into one string per conversation (or deal) and split here, the
 * same rows cost a fraction of that. For the metrics' large reads only.
 *
 * Fields are joined with the ASCII unit separator and rows with the record separator, characters
 * that ids, ISO times and the enumerations packed never contain. NULL travels as an empty field.
 */
import type { Dialect } from '../dialect.js';

const UNIT = '\x1f';
const RECORD = '\x1e';

/**
 * The SQL aggregate packing `columns` of each row of a group, rows in `orderBy` order (needs
 * SQLite 3.44+, which better-sqlite3 bundles; PostgreSQL has `string_agg(… ORDER BY …)`).
 */
export function packedRows(dialect: Dialect, columns: string[], orderBy: string): string {
  const fields = columns.map((column) => `COALESCE(${column}, '')`).join(` || ${dialect.char(31)} || `);
  return dialect.joinedInOrder(fields, dialect.char(30), orderBy);
}

/** The rows `packedRows` packed: their fields in column order, empty fields as null. */
export function unpackRows(packed: string): Array<Array<string | null>> {
  return packed.split(RECORD).map((row) => row.split(UNIT).map((field) => (field === '' ? null : field)));
}
