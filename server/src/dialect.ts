/**
 * The few places where SQLite and PostgreSQL spell the same thing differently. Store SQL is
 * written portably (standard SQL, `ON CONFLICT`, `RETURNING`, `||`, `CAST(? AS TEXT)`), and what
 * cannot be is built here, from the dialect of the executor the store was given.
 */

export type DialectName = 'sqlite' | 'postgres';

/**
 * `sql` with each of its parameters (`?` and `?NNN`, outside string literals, quoted identifiers
 * and comments) spelled by `spell` from its number: a bare `?` takes the number after the
 * largest one so far, as in SQLite.
 */
export function mapParameters(sql: string, spell: (number: number) => string): string {
  let out = '';
  let largest = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      let end = i + 1;
      while (end < sql.length) {
        if (sql[end] === ch) {
          if (sql[end + 1] === ch) end += 2;
          else break;
        } else end += 1;
      }
      out += sql.slice(i, end + 1);
      i = end + 1;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '?') {
      let end = i + 1;
      while (end < sql.length && sql[end]! >= '0' && sql[end]! <= '9') end += 1;
      const number = end > i + 1 ? Number(sql.slice(i + 1, end)) : largest + 1;
      largest = Math.max(largest, number);
      out += spell(number);
      i = end;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

export interface Dialect {
  readonly name: DialectName;
  /** The text at `path` (keys) of a JSON value stored as text, NULL when absent. */
  jsonText(column: string, path: readonly string[]): string;
  /** The text under the key bound as the next parameter (any characters) of a JSON object stored as text. */
  jsonTextOfKey(column: string): string;
  /** A subquery of the text elements of a JSON array bound as one parameter (`IN (…)`). */
  jsonArrayValues(param: string): string;
  /** Days (fractional) from `from` to `to`, both ISO-8601 timestamps. */
  daysBetween(from: string, to: string): string;
  /** The character with code `code` (a small integer written by the code, never user input). */
  char(code: number): string;
  /** Ordered aggregate joining `expression` of each row of the group with `separator`. */
  joinedInOrder(expression: string, separator: string, orderBy: string): string;
  /**
   * What ends a SELECT choosing rows to claim, so concurrent claimers each get other rows
   * instead of the same one (SQLite has one writer at a time: nothing).
   */
  readonly skipLocked: string;
}

export const SQLITE: Dialect = {
  name: 'sqlite',
  jsonText: (column, path) => `json_extract(${column}, '$.${path.join('.')}')`,
  jsonTextOfKey: (column) => `json_extract(${column}, '$.' || json_quote(?))`,
  jsonArrayValues: (param) => `SELECT value FROM json_each(${param})`,
  daysBetween: (from, to) => `(julianday(${to}) - julianday(${from}))`,
  char: (code) => `char(${code})`,
  joinedInOrder: (expression, separator, orderBy) => `group_concat(${expression}, ${separator} ORDER BY ${orderBy})`,
  skipLocked: '',
};

export const POSTGRES: Dialect = {
  name: 'postgres',
  jsonText: (column, path) => `(CAST(${column} AS jsonb) #>> '{${path.join(',')}}')`,
  jsonTextOfKey: (column) => `(CAST(${column} AS jsonb) ->> CAST(? AS TEXT))`,
  jsonArrayValues: (param) => `SELECT value FROM json_array_elements_text(CAST(${param} AS json)) AS value`,
  daysBetween: (from, to) => `(EXTRACT(EPOCH FROM (CAST(${to} AS timestamptz) - CAST(${from} AS timestamptz))) / 86400)`,
  char: (code) => `chr(${code})`,
  joinedInOrder: (expression, separator, orderBy) => `string_agg(${expression}, ${separator} ORDER BY ${orderBy})`,
  skipLocked: 'FOR UPDATE SKIP LOCKED',
};

/**
 * PostgreSQL gave up a transaction for colliding with another (serialization failure, deadlock):
 * the transaction is run again whole, so code that catches errors inside one lets these through.
 */
export function isTransactionConflict(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '40001' || code === '40P01';
}

/** The dialect of an executor (the SQLite database and its transactions unless it says otherwise). */
export function dialectOf(sql: { readonly dialect?: Dialect }): Dialect {
  return sql.dialect ?? SQLITE;
}
