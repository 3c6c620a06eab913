/** Finding contacts and merging two of them from the agent views. */
import { z } from 'zod';
import type { Contact } from './types.js';

/** What a merge would do: the two contacts, what moves from the merged one, which empty fields it fills. */
export interface ContactMergePreview {
  survivor: Contact;
  merged: Contact;
  moves: { conversations: number; identities: number; notes: number; deals: number; tasks: number };
  fills: Array<'name' | 'email' | 'phone' | 'avatarUrl'>;
}

export const contactSearchRequestSchema = z
  .object({ query: z.string().trim().min(1).max(200), limit: z.number().int().min(1).max(50).default(10) })
  .strict();
export type ContactSearchRequest = z.input<typeof contactSearchRequestSchema>;
