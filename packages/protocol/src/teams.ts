/** Teams: groups of agents a conversation can be routed to (Sales, Support…). */
import { z } from 'zod';

export const teamSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  /** Its members. */
  agentIds: z.array(z.string()),
});
export type Team = z.infer<typeof teamSchema>;

export const teamCreateSchema = z
  .object({
    name: z.string().trim().min(1, 'name cannot be empty').max(60),
    agentIds: z.array(z.string().min(1).max(64)).max(200).default([]),
  })
  .strict();
export type TeamCreate = z.input<typeof teamCreateSchema>;
