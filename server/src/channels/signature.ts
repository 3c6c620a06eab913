import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The form of a body Meta signs besides the raw bytes: every non-ASCII character escaped as
 * `\uXXXX` (lowercase hex, UTF-16 code units, so astral characters become surrogate pairs).
 */
export function escapedUnicodeForm(raw: Buffer): Buffer {
  const text = raw.toString('utf8');
  // eslint-disable-next-line no-control-regex
  const escaped = text.replace(/[^\x00-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return Buffer.from(escaped, 'utf8');
}

function hmac(secret: string, bytes: Buffer): Buffer {
  return createHmac('sha256', secret).update(bytes).digest();
}

/**
 * Whether `X-Hub-Signature-256: sha256=<hex>` is the HMAC-SHA256 of the raw bytes (or of their
 * escaped-unicode form) under `secret`. Compared in constant time; any malformed header fails.
 */
export function verifySignature(raw: Buffer, header: string | undefined, secret: string): boolean {
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header?.trim() ?? '');
  if (!match || !secret) return false;
  const given = Buffer.from(match[1]!.toLowerCase(), 'hex');
  if (timingSafeEqual(given, hmac(secret, raw))) return true;
  const escaped = escapedUnicodeForm(raw);
  return !escaped.equals(raw) && timingSafeEqual(given, hmac(secret, escaped));
}

/** The header value for `raw` (the fake Graph API and the channel simulator sign with it). */
export function signatureOf(raw: Buffer | string, secret: string): string {
  return `sha256=${hmac(secret, typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw).toString('hex')}`;
}
