/** Teams: groups of agents a conversation can be routed to (Sales, Support…). */
import { z } from 'zod';
import { skillsSchema } from './routing.js';

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

/** `PATCH /api/v1/teams/:id` (admins): a new name, and/or the whole list of members. */
export const teamUpdateSchema = z
  .object({ name: teamCreateSchema.shape.name.optional(), agentIds: z.array(z.string().min(1).max(64)).max(200).optional() })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one of name, agentIds');
export type TeamUpdate = z.input<typeof teamUpdateSchema>;

/** Roles an admin gives in the settings (the same as the platform API's). */
const agentRoleSchema = z.enum(['admin', 'agent', 'viewer']);

/** `POST /api/v1/agents` (admins): someone joins the workspace; they sign in with a token the host signs. */
export const agentCreateSchema = z
  .object({
    name: z.string().trim().min(1, 'name cannot be empty').max(200),
    email: z.string().trim().toLowerCase().email('email: not an email address').max(320),
    role: agentRoleSchema,
    /** What routing may ask of them (see routing rules); lowercase, each once. */
    skills: skillsSchema.optional(),
  })
  .strict();
export type AgentCreate = z.input<typeof agentCreateSchema>;

/** `PATCH /api/v1/agents/:id` (admins): rename, change the role, deactivate (`active: false`) or bring back. */
export const agentUpdateSchema = agentCreateSchema
  .partial()
  .extend({ active: z.boolean().optional() })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one of name, email, role, skills, active');
export type AgentUpdate = z.input<typeof agentUpdateSchema>;

/** An agent as the workspace's admins see it in the settings (`GET /api/v1/agents`). */
export interface WorkspaceAgent {
  id: string;
  workspaceId: string;
  name: string;
  email: string;
  role: 'admin' | 'agent' | 'viewer';
  avatarUrl: string | null;
  /** The host's own id of this person when its backend provisioned them. */
  externalId: string | null;
  /** What routing may ask of them. */
  skills: string[];
  /** False once deactivated: they cannot sign in and routing skips them. */
  active: boolean;
}
