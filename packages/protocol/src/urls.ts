/**
 * What an `<img src>` may load. Avatars and media URLs come from contacts, channels and hosts, so
 * a `javascript:` or `data:text/html` URL must never reach the DOM: only https, the object URLs
 * the client makes of downloaded media (`blob:`), and paths the Charla server itself serves.
 */
export function imageSource(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const value = url.trim();
  // A path on the page's own server (`/api/v1/media/…`), not `//host` or `/\host` (other origins).
  if (/^\/(?![/\\])/.test(value)) return value;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'blob:' ? value : undefined;
  } catch {
    return undefined;
  }
}
