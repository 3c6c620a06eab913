/**
 * A case-insensitive "contains" pattern for `LOWER(column) LIKE ? ESCAPE '\'`: the user's text is
 * a bound parameter and its wildcards are escaped, so `50%` finds "50%" and nothing else.
 */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
}

/** A pattern matching one element of a JSON string array stored as text (e.g. a label). */
export function jsonElementPattern(value: string): string {
  return `%${JSON.stringify(value).replace(/[\\%_]/g, '\\$&')}%`;
}

export const LIKE = "LIKE ? ESCAPE '\\'";

/** `?, ?, ?` for an IN list of `count` bound values (never the values themselves). */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
