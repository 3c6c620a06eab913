import type { Locale } from './i18n.js';

const timeFormats = new Map<Locale, Intl.DateTimeFormat>();
const dateFormats = new Map<Locale, Intl.DateTimeFormat>();

function cached(cache: Map<Locale, Intl.DateTimeFormat>, locale: Locale, options: Intl.DateTimeFormatOptions) {
  let format = cache.get(locale);
  if (!format) cache.set(locale, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

/** `14:05` / `2:05 PM`, as the visitor's locale writes it. */
export function formatTime(iso: string, locale: Locale): string {
  return cached(timeFormats, locale, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}

/** Local calendar day of a timestamp, to start a new day divider when it changes. */
export function dayKey(iso: string): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

/** `Today`, `Yesterday` or the date, for the divider above a day's first message. */
export function formatDay(iso: string, locale: Locale, words: { today: string; yesterday: string }): string {
  const key = dayKey(iso);
  const now = new Date();
  if (key === dayKey(now.toISOString())) return words.today;
  now.setDate(now.getDate() - 1);
  if (key === dayKey(now.toISOString())) return words.yesterday;
  return cached(dateFormats, locale, { day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(iso));
}

/** Up to two initials for an avatar: "Ana María Pérez" → "AP", "Gaby ☕" → "G" (emoji are no initials). */
export function initials(name: string): string {
  const letters = name.trim().split(/\s+/).flatMap((word) => word.match(/[\p{L}\p{N}]/u) ?? []);
  return (letters.length > 1 ? letters[0]! + letters[letters.length - 1]! : (letters[0] ?? '')).toUpperCase();
}

export interface TextRun {
  text: string;
  /** Set when the run is a web address, to show it as a link. */
  href?: string;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"]+$/;

/** Splits a message into plain text and web addresses (trailing punctuation stays text). */
export function splitLinks(body: string): TextRun[] {
  const runs: TextRun[] = [];
  let last = 0;
  for (const match of body.matchAll(URL_PATTERN)) {
    const url = match[0].replace(TRAILING_PUNCTUATION, '');
    const start = match.index;
    if (start > last) runs.push({ text: body.slice(last, start) });
    runs.push({ text: url, href: url });
    last = start + url.length;
  }
  if (last < body.length) runs.push({ text: body.slice(last) });
  return runs;
}
