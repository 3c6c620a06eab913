/** How a workspace hands out conversations and closes idle ones. */
import { z } from 'zod';
import { CHANNELS, SKILL_PATTERN } from './constants.js';
import { isCurrency } from './workspace.js';

export const ROUTING_MODES = ['manual', 'round-robin'] as const;

const id = z.string().min(1).max(64);

/** A skill agents have and conversations may need ("portugués", "mayoreo"): kept in lowercase. */
export const skillSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'a skill cannot be empty')
  .max(40)
  .regex(SKILL_PATTERN, 'a skill is letters, digits, spaces and . _ + # -');

/** An agent's skills: each once, at most 30. */
export const skillsSchema = z
  .array(skillSchema)
  .max(30, 'at most 30 skills')
  .transform((skills) => [...new Set(skills)]);

/** Where a matching rule sends a conversation: to a team, to agents with a skill, or both. */
const ruleTarget = { teamId: id.optional(), skill: skillSchema.optional() };

/**
 * Rule routing: a conversation that has neither a team nor a needed skill yet takes them from
 * the first rule it matches. A rule names one condition: the channel it came in on, a label, or
 * a topic the analysis detected (topics are known once the first messages were analysed); and
 * sends to a team, asks for a skill (only agents who have it are given the conversation), or both.
 */
export const routingRuleSchema = z
  .union([
    z.object({ channel: z.enum(CHANNELS), ...ruleTarget }).strict(),
    z.object({ label: z.string().trim().min(1).max(64), ...ruleTarget }).strict(),
    z.object({ topic: z.string().trim().min(1).max(64), ...ruleTarget }).strict(),
  ])
  .refine((rule) => rule.teamId !== undefined || rule.skill !== undefined, 'A rule sends to a team (teamId), asks for a skill (skill), or both');
export type RoutingRule = z.infer<typeof routingRuleSchema>;

/** VIP routing: contacts whose lifetime value reaches `minLifetimeValue` (in `currency`) go to `teamId` first. */
export const vipRoutingSchema = z
  .object({
    minLifetimeValue: z.number().positive().max(1e12),
    currency: z.string().regex(/^[A-Z]{3}$/, 'A currency is an ISO 4217 code such as MXN').refine(isCurrency, 'A currency is an ISO 4217 code such as MXN'),
    teamId: id,
  })
  .strict();

export const routingSettingsSchema = z.object({
  /** `round-robin`: new and reopened unassigned conversations go, in turn, to online agents. */
  mode: z.enum(ROUTING_MODES),
  /** Most open conversations an agent is given by routing; null: no limit. */
  capacity: z.number().int().min(1).max(500).nullable(),
  /** A returning customer goes back to the agent who handled them last, when online. */
  stickyAgent: z.boolean(),
  /** Team rules, in order (the first match wins); VIP routing is checked before them. */
  rules: z.array(routingRuleSchema).max(100),
  vip: vipRoutingSchema.nullable(),
  /** Open conversations where the customer owes the answer are resolved after this many idle hours; null: never. */
  autoResolveHours: z.number().int().min(1).max(720).nullable(),
  /** Service-level targets; each null when not set. */
  sla: z.object({
    /** Minutes from the customer's first message to the first human reply. */
    firstResponseMinutes: z.number().int().min(1).max(10_080).nullable(),
    /** Minutes from any later customer message that starts a wait to the next reply. */
    nextResponseMinutes: z.number().int().min(1).max(10_080).nullable(),
    /** Minutes from the conversation's start to its resolution. */
    resolutionMinutes: z.number().int().min(1).max(100_800).nullable().default(null),
    /** Count the targets in the workspace's business hours (its time zone and weekly hours) instead of the wall clock. */
    businessHours: z.boolean().default(false),
  }),
});
export type RoutingSettings = z.output<typeof routingSettingsSchema>;
export type SlaTargets = RoutingSettings['sla'];

export const routingSettingsPatchSchema = routingSettingsSchema
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'Nothing to update');

export const DEFAULT_ROUTING: RoutingSettings = {
  mode: 'manual',
  capacity: null,
  stickyAgent: true,
  rules: [],
  vip: null,
  autoResolveHours: null,
  sla: { firstResponseMinutes: null, nextResponseMinutes: null, resolutionMinutes: null, businessHours: false },
};

export const AGENT_PRESENCE = ['online', 'away', 'offline'] as const;
export type AgentPresence = (typeof AGENT_PRESENCE)[number];

/** An agent sets themselves away (no new work from routing) or back online, in every tab at once. */
export const presenceSetSchema = z.object({ status: z.enum(['online', 'away']) }).strict();

/** Presence of the workspace's agents: connected agents are online or away; everyone else offline. */
export type PresenceMap = Record<string, AgentPresence>;

/** One agent's presence changed (live only, never in the change log). */
export interface PresenceSignal {
  agentId: string;
  status: AgentPresence;
}
