/** How a workspace hands out conversations and closes idle ones. */
import { z } from 'zod';

export const ROUTING_MODES = ['manual', 'round-robin'] as const;

export const routingSettingsSchema = z.object({
  /** `round-robin`: new and reopened unassigned conversations go, in turn, to online agents. */
  mode: z.enum(ROUTING_MODES),
  /** Most open conversations an agent is given by routing; null: no limit. */
  capacity: z.number().int().min(1).max(500).nullable(),
  /** A returning customer goes back to the agent who handled them last, when online. */
  stickyAgent: z.boolean(),
  /** Open conversations where the customer owes the answer are resolved after this many idle hours; null: never. */
  autoResolveHours: z.number().int().min(1).max(720).nullable(),
  /** Service-level targets; each null when not set. */
  sla: z.object({
    /** Minutes from the customer's first message to the first human reply. */
    firstResponseMinutes: z.number().int().min(1).max(10_080).nullable(),
    /** Minutes from any later customer message that starts a wait to the next reply. */
    nextResponseMinutes: z.number().int().min(1).max(10_080).nullable(),
  }),
});
export type RoutingSettings = z.infer<typeof routingSettingsSchema>;

export const routingSettingsPatchSchema = routingSettingsSchema
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'Nothing to update');

export const DEFAULT_ROUTING: RoutingSettings = {
  mode: 'manual',
  capacity: null,
  stickyAgent: true,
  autoResolveHours: null,
  sla: { firstResponseMinutes: null, nextResponseMinutes: null },
};
