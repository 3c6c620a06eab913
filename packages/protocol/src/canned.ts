/** Canned responses: a workspace's saved replies, inserted in the composer with `/shortcut`. */
import { z } from 'zod';
import { LIMITS } from './constants.js';

const id = z.string().min(1).max(64);

export const cannedResponseSchema = z.object({
  id,
  workspaceId: id,
  /** Typed after `/` in the composer: lowercase letters, digits, `-` and `_`. */
  shortcut: z.string(),
  title: z.string(),
  body: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const shortcut = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_-]{1,32}$/, 'shortcut: use 1–32 lowercase letters, digits, "-" or "_"');
const title = z.string().trim().min(1, 'title cannot be empty').max(80);
const body = z
  .string()
  .max(LIMITS.messageBody, `body can be at most ${LIMITS.messageBody} characters`)
  .refine((value) => value.trim().length > 0, 'body cannot be empty');

export const cannedResponseCreateSchema = z.object({ shortcut, title, body }).strict();
export const cannedResponseUpdateSchema = z
  .object({ shortcut, title, body })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'Nothing to update');

export type CannedResponse = z.infer<typeof cannedResponseSchema>;
export type CannedResponseCreate = z.input<typeof cannedResponseCreateSchema>;
export type CannedResponseUpdate = z.input<typeof cannedResponseUpdateSchema>;

export interface CannedChangedData {
  /** The response created or changed; null when `deletedId` is set. */
  response: CannedResponse | null;
  deletedId: string | null;
}
