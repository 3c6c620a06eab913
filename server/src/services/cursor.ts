import { CharlaFailure } from '../failure.js';

/** Page cursors are opaque to clients: base64url of the sort key of the last item returned. */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): string[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === length && key.every((part) => typeof part === 'string')) return key;
  } catch {
    // fall through: malformed
  }
  throw new CharlaFailure('invalid_payload', 'cursor: This cursor is not valid (use nextCursor from a previous page)');
}

/** Splits a "limit + 1" fetch into the page and whether more follow. */
export function pageOf<T>(rows: T[], limit: number): { items: T[]; hasMore: boolean } {
  return { items: rows.slice(0, limit), hasMore: rows.length > limit };
}
