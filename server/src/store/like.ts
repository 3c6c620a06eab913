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

/** `items` in slices of at most `size`: one statement each, its bound values within both engines' limits. */
export function* slices<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** `?, ?, ?` for an IN list of `count` bound values (never the values themselves). */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
