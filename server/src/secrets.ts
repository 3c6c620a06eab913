/**
 * Secrets at rest: channel access tokens, app secrets, mailbox passwords and workspace signing
 * secrets are stored sealed with AES-256-GCM under a key the database does not hold
 * (`CHARLA_SECRET_KEY`, or for the embedded SQLite store a key file beside the database).
 *
 * A sealed value reads `charla:v1:KEYID:IV:TAG:DATA` (base64url parts): KEYID names the key, so
 * several keys may be given (`CHARLA_SECRET_KEY=new,old`) and a value sealed under an older one
 * still opens while the store re-seals it under the first.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

const PREFIX = 'charla:v1:';
const HINT = 'use 64 hexadecimal characters (32 bytes), e.g. the output of `openssl rand -hex 32`; several keys separated by commas while rotating';

/** What a server on PostgreSQL without a key is told. */
export const SECRET_KEY_NEEDED =
  `CHARLA_SECRET_KEY is not set: on PostgreSQL every server process seals channel secrets with the same key (${HINT})`;

/** A key that cannot be used; the message is the one line to print. */
export class SecretKeyError extends Error {
  override readonly name = 'SecretKeyError';
}

interface Key {
  id: string;
  bytes: Buffer;
}

function parseKey(raw: string, source: string): Key {
  const text = raw.trim();
  let bytes: Buffer | null = null;
  if (/^[0-9a-f]{64}$/i.test(text)) bytes = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) bytes = Buffer.from(text, 'base64');
  if (!bytes || bytes.length !== 32) throw new SecretKeyError(`Invalid ${source}: a key of ${text.length} characters (${HINT})`);
  return { id: createHash('sha256').update(bytes).digest('base64url').slice(0, 8), bytes };
}

export class SecretBox {
  readonly #keys: Key[];

  private constructor(keys: Key[]) {
    this.#keys = keys;
  }

  /** The keys of `value` (comma-separated; the first seals), checked; `source` names the setting in errors. */
  static fromKeys(value: string, source = 'CHARLA_SECRET_KEY'): SecretBox {
    const parts = value.split(',').map((part) => part.trim()).filter(Boolean);
    if (parts.length === 0) throw new SecretKeyError(`Invalid ${source}: it is empty (${HINT})`);
    return new SecretBox(parts.map((part) => parseKey(part, source)));
  }

  /** The key in the file at `path`, created (readable by this user only) when missing. */
  static fromKeyFile(path: string): SecretBox {
    if (!existsSync(path)) writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    else chmodSync(path, 0o600);
    return SecretBox.fromKeys(readFileSync(path, 'utf8'), `the key file ${path}`);
  }

  static isSealed(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  /** Whether `value` is sealed under a key other than the first (it should be sealed again). */
  isStale(value: string): boolean {
    return !SecretBox.isSealed(value) || value.slice(PREFIX.length).split(':')[0] !== this.#keys[0]!.id;
  }

  seal(plain: string): string {
    const key = this.#keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${key.id}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${data.toString('base64url')}`;
  }

  /** The plain text of a sealed value; a value stored before sealing existed passes through. */
  open(value: string): string {
    if (!SecretBox.isSealed(value)) return value;
    const [keyId, iv, tag, data] = value.slice(PREFIX.length).split(':');
    const key = this.#keys.find((candidate) => candidate.id === keyId);
    if (!key || iv === undefined || tag === undefined || data === undefined) {
      throw new SecretKeyError(`A stored secret was sealed with a key this server does not have (key id ${keyId}): set CHARLA_SECRET_KEY to include it`);
    }
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretKeyError(`A stored secret does not open with key ${keyId}: it was altered`);
    }
  }
}

/**
 * Where secrets are sealed for a store that has no key yet: the store holds this and answers
 * with a clear error when a secret must be sealed or opened without one.
 */
export class SecretKeeper {
  #box: SecretBox | null;

  constructor(box: SecretBox | null = null) {
    this.#box = box;
  }

  use(box: SecretBox): void {
    this.#box = box;
  }

  get box(): SecretBox {
    if (!this.#box) throw new SecretKeyError(`Storing secrets needs a key: set CHARLA_SECRET_KEY (${HINT})`);
    return this.#box;
  }

  seal(plain: string): string {
    return this.box.seal(plain);
  }

  open(value: string): string {
    return SecretBox.isSealed(value) ? this.box.open(value) : value;
  }
}
