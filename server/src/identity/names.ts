/**
 * Names as weak signals: two contacts named alike may be one person, so an agent is asked; a name
 * never merges anything by itself.
 */
import type { DuplicateSignal } from '@charla/protocol';

/**
 * Words of names already read: suggestions compare one name with every name of the workspace, and
 * most names repeat from one request to the next. Bounded; emptied when full.
 */
const wordsByName = new Map<string, string[]>();
const WORDS_CACHE_SIZE = 200_000;

/** The words of a name without case, accents, emoji or punctuation: "Lucía  TORRES ☕" → ["lucia", "torres"]. */
export function nameWords(name: string): string[] {
  let words = wordsByName.get(name);
  if (!words) {
    if (wordsByName.size >= WORDS_CACHE_SIZE) wordsByName.clear();
    words = readWords(name);
    wordsByName.set(name, words);
  }
  return words;
}

function readWords(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

/** Edits (insert, delete, replace) from `a` to `b`, stopping early once past `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    if (Math.min(...current) > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * How alike two names are: the same words (`same_name`: "Lucía Torres" and "lucia torres ☕"), or
 * `similar_name` — the same words in another order, a full name that extends a shorter full name
 * ("Lucía Torres" and "Lucía Torres Díaz"), or a typo or two in a longer name ("Lucía Torres" and
 * "Lucia Torrez"). A lone first name is too common to say anything.
 */
export function nameSignal(a: readonly string[], b: readonly string[]): DuplicateSignal | null {
  if (a.length === 0 || b.length === 0) return null;
  const joinedA = a.join(' ');
  const joinedB = b.join(' ');
  if (joinedA === joinedB) return 'same_name';
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (shorter.length < 2) return null;
  if (a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ')) return 'similar_name';
  if (shorter.every((word, index) => longer[index] === word)) return 'similar_name';
  if (a.length === b.length && Math.min(joinedA.length, joinedB.length) >= 8 && editDistance(joinedA, joinedB, 2) <= 2) return 'similar_name';
  return null;
}
