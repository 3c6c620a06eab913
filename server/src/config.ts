/**
 * The server's configuration as the CLI reads it: flags, then environment variables, then the
 * defaults. Every value is checked before anything opens, and a bad one is reported in one line
 * that names the setting and says what to write instead (`ConfigError`); the CLI prints it and
 * exits with code 2.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { allowedOriginsFrom } from './http/origins.js';
import { limitsFrom, LimitConfigError } from './limits.js';
import { SECRET_KEY_NEEDED, SecretBox } from './secrets.js';

/** A configuration value that cannot be used; its message is the one line the CLI prints. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface CliFlags {
  port?: string | undefined;
  db?: string | undefined;
  databaseUrl?: string | undefined;
  redisUrl?: string | undefined;
}

export interface CliConfig {
  port: number;
  dbPath: string;
  /** PostgreSQL instead of the SQLite file (`--database-url`, `CHARLA_DATABASE_URL`). */
  databaseUrl: string | undefined;
  /** The PostgreSQL role owning the tables, for migrations (`CHARLA_DATABASE_ADMIN_URL`). */
  databaseAdminUrl: string | undefined;
  /** Redis for several server processes (`--redis-url`, `CHARLA_REDIS_URL`). */
  redisUrl: string | undefined;
  adminToken: string | undefined;
}

const httpUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), 'not an http(s) URL');

/** Each optional variable: its check, and what to write when it fails. */
const VARIABLES: Record<string, { schema: z.ZodType; hint: string; secret?: true }> = {
  CHARLA_ADMIN_TOKEN: { schema: z.string().min(16).max(128), hint: 'use 16 to 128 characters, e.g. the output of `openssl rand -hex 24`', secret: true },
  CHARLA_PLATFORM_KEY: { schema: z.string().min(32).max(256), hint: 'use 32 to 256 characters, e.g. the output of `openssl rand -hex 32`', secret: true },
  CHARLA_GRAPH_URL: { schema: httpUrl, hint: 'use an http(s) URL such as https://graph.facebook.com' },
  OPENAI_BASE_URL: { schema: httpUrl, hint: 'use an http(s) URL such as https://api.openai.com/v1' },
  CHARLA_AI_MODEL: { schema: z.string().trim().min(1).max(100), hint: 'use a model name such as gpt-4o-mini' },
  CHARLA_VISITOR_SESSION_HOURS: { schema: z.coerce.number().positive().max(24 * 365), hint: 'use a number of hours above 0, e.g. 24' },
  CHARLA_MEDIA_MAX_BYTES: { schema: z.coerce.number().int().positive(), hint: 'use a whole number of bytes, e.g. 26214400' },
  CHARLA_TRUST_PROXY: { schema: z.coerce.number().int().min(0).max(10), hint: 'use the number of proxies in front of the server, e.g. 1 behind nginx' },
  CHARLA_MEDIA_ALLOW_LOCAL: { schema: z.enum(['0', '1']), hint: 'use 1 (allow) or 0' },
  CHARLA_WEBHOOKS_ALLOW_PRIVATE: { schema: z.enum(['true', 'false']), hint: 'use true (webhooks may go to loopback and private addresses) or false' },
  CHARLA_MEDIA_HOSTS: {
    schema: z.string().refine((value) => value.split(',').every((host) => /^[a-z0-9.-]+$/i.test(host.trim()) && host.trim() !== ''), 'bad host'),
    hint: 'use comma-separated host names, e.g. fbcdn.net,whatsapp.net',
  },
};

/** Shortens what was written for the message (a pasted secret is not echoed whole). */
function shown(value: string): string {
  return value.length > 40 ? `${value.slice(0, 12)}… (${value.length} characters)` : JSON.stringify(value);
}

function port(flag: string | undefined, env: NodeJS.ProcessEnv): number {
  const raw = flag ?? env.PORT ?? '3000';
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value > 65_535) {
    throw new ConfigError(`Invalid ${flag !== undefined ? '--port' : 'PORT'}: ${shown(raw)} (use a port number from 0 to 65535)`);
  }
  return value;
}

/** The database file's folder exists (created if needed) and can be written. */
function databasePath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const source = flag !== undefined ? '--db' : 'CHARLA_DB';
  const raw = flag ?? env.CHARLA_DB ?? './data/charla.db';
  if (raw.trim() === '') throw new ConfigError(`Invalid ${source}: it is empty (use a file path such as ./data/charla.db)`);
  const path = resolve(raw);
  try {
    mkdirSync(dirname(path), { recursive: true });
    accessSync(dirname(path), constants.W_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unusable';
    throw new ConfigError(`Invalid ${source}: cannot write to the folder ${dirname(path)} (${reason}); choose a writable path such as ./data/charla.db`);
  }
  return path;
}

/** A postgres:// (or postgresql://) URL with a host, when one is given. */
function databaseUrl(flag: string | undefined, env: NodeJS.ProcessEnv, variable: 'CHARLA_DATABASE_URL' | 'CHARLA_DATABASE_ADMIN_URL' = 'CHARLA_DATABASE_URL'): string | undefined {
  const source = flag !== undefined ? '--database-url' : variable;
  const raw = (flag ?? env[variable] ?? '').trim();
  if (raw === '') return undefined;
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (!url || !/^postgres(ql)?:$/.test(url.protocol) || url.hostname === '') {
    // The URL may carry a password: only its length is shown.
    throw new ConfigError(`Invalid ${source}: ${raw.length} characters (use a URL such as postgres://charla:password@localhost:5432/charla)`);
  }
  return raw;
}

/** A redis:// (or rediss://) URL with a host, when one is given. */
function redisUrl(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const source = flag !== undefined ? '--redis-url' : 'CHARLA_REDIS_URL';
  const raw = (flag ?? env.CHARLA_REDIS_URL ?? '').trim();
  if (raw === '') return undefined;
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (!url || !/^rediss?:$/.test(url.protocol) || url.hostname === '' || (url.pathname !== '' && !/^\/\d{0,2}$/.test(url.pathname))) {
    // The URL may carry a password: only its length is shown.
    throw new ConfigError(`Invalid ${source}: ${raw.length} characters (use a URL such as redis://localhost:6379 or rediss://:password@redis.example.com:6380/0)`);
  }
  return raw;
}

/** Reads and checks the whole configuration; throws ConfigError with one line on the first bad value. */
export function readCliConfig(flags: CliFlags, env: NodeJS.ProcessEnv): CliConfig {
  for (const [name, { schema, hint, secret }] of Object.entries(VARIABLES)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    // A secret is never echoed: its length says enough.
    if (!schema.safeParse(value).success) throw new ConfigError(`Invalid ${name}: ${secret ? `${value.length} characters` : shown(value)} (${hint})`);
  }
  if (env.CHARLA_SECRET_KEY) {
    try {
      SecretBox.fromKeys(env.CHARLA_SECRET_KEY);
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
  }
  try {
    limitsFrom(undefined, env);
  } catch (error) {
    if (error instanceof LimitConfigError) throw new ConfigError(error.message);
    throw error;
  }
  try {
    allowedOriginsFrom(undefined, env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const database = databaseUrl(flags.databaseUrl, env);
  if (database && !env.CHARLA_SECRET_KEY) throw new ConfigError(SECRET_KEY_NEEDED);
  return {
    port: port(flags.port, env),
    dbPath: databasePath(flags.db, env),
    databaseUrl: database,
    databaseAdminUrl: database ? databaseUrl(undefined, env, 'CHARLA_DATABASE_ADMIN_URL') : undefined,
    redisUrl: redisUrl(flags.redisUrl, env),
    adminToken: env.CHARLA_ADMIN_TOKEN || undefined,
  };
}
