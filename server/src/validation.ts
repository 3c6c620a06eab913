import { z } from 'zod';
import { CharlaFailure } from './failure.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a request at the edge with its protocol schema. Anything invalid becomes an
 * `invalid_payload` failure whose message names the field, e.g. "body: A message cannot be empty".
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  if (!isPlainObject(input)) throw new CharlaFailure('invalid_payload', 'The payload must be an object');
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  const message = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
  throw new CharlaFailure('invalid_payload', message, { issues });
}

/** The object itself when it is one, for merging path parameters into a request body. */
export function requireObject(input: unknown): Record<string, unknown> {
  if (!isPlainObject(input)) throw new CharlaFailure('invalid_payload', 'The body must be a JSON object');
  return input;
}

/** Requests without parameters (`session.get`) still send `{}`. */
export const emptyRequestSchema = z.object({}).strict();

/**
 * `text` cut to at most `max` characters, never between the halves of a surrogate pair. For what
 * arrives from outside without a schema of ours (channel payloads): kept, but never unbounded.
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  const lastKept = text.charCodeAt(max - 1);
  return text.slice(0, lastKept >= 0xd800 && lastKept <= 0xdbff ? max - 1 : max);
}
