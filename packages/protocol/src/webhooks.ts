/**
 * Outbound webhooks: an admin subscribes a URL to event types; every matching change is POSTed
 * to it as `{id, type, createdAt, workspaceId, data}`, signed with the subscription's secret.
 */
import { z } from 'zod';

const id = z.string().min(1).max(64);

/** The event types a subscription may ask for (`task.*` stands for every `task.` type, `*` for all). */
export const WEBHOOK_EVENT_TYPES = [
  'message.created',
  'conversation.created',
  'conversation.status_changed',
  'contact.created',
  'contact.updated',
  'contact.merged',
  'deal.created',
  'deal.updated',
  'deal.stage_changed',
  'deal.won',
  'deal.lost',
  'task.created',
  'task.updated',
  'task.completed',
  'csat.submitted',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_STATUSES = ['active', 'paused'] as const;
export const WEBHOOK_DELIVERY_STATES = ['pending', 'delivered', 'failed', 'paused'] as const;

/** Longest URL accepted for a subscription. */
export const WEBHOOK_URL_MAX = 2048;

/** An event type, a family (`task.*`) or every type (`*`). */
const eventPattern = z
  .string()
  .trim()
  .refine(
    (value) => value === '*' || (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value)
      || (value.endsWith('.*') && WEBHOOK_EVENT_TYPES.some((type) => type.startsWith(value.slice(0, -1)))),
    `events: not an event type (use one of ${WEBHOOK_EVENT_TYPES.join(', ')}, a family such as task.*, or *)`,
  );

const url = z
  .string()
  .trim()
  .max(WEBHOOK_URL_MAX, `url can be at most ${WEBHOOK_URL_MAX} characters`)
  .refine((value) => URL.canParse(value), 'url: not a valid URL')
  .refine((value) => !URL.canParse(value) || /^https?:$/.test(new URL(value).protocol), 'url: only http and https URLs can receive webhooks')
  .refine((value) => !URL.canParse(value) || (!new URL(value).username && !new URL(value).password), 'url: put no user or password in the URL');

const events = z.array(eventPattern).min(1, 'events: subscribe to at least one event type').max(WEBHOOK_EVENT_TYPES.length + 8);
const description = z.string().trim().max(200).nullable();

export const webhookCreateSchema = z.object({ url, events, description: description.optional() }).strict();
export const webhookUpdateSchema = z
  .object({
    url,
    events,
    description,
    /** `active` resumes a paused subscription (its paused deliveries are sent again, in order). */
    status: z.enum(WEBHOOK_STATUSES),
    /** Replace the signing secret with a fresh one (answered once, like on creation). */
    rotateSecret: z.literal(true),
  })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'Nothing to update');

export const webhookSchema = z.object({
  id,
  workspaceId: id,
  url: z.string(),
  events: z.array(z.string()),
  description: z.string().nullable(),
  status: z.enum(WEBHOOK_STATUSES),
  /** Since when every delivery failed (null: the last one went through). */
  failingSince: z.string().nullable(),
  pausedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Webhook = z.infer<typeof webhookSchema>;
/** A subscription as answered to its creation (and to a secret rotation): with its signing secret. */
export type WebhookWithSecret = Webhook & { secret: string };
export type WebhookCreate = z.input<typeof webhookCreateSchema>;
export type WebhookUpdate = z.input<typeof webhookUpdateSchema>;

export interface WebhookAttempt {
  at: string;
  /** The receiver's HTTP status; null when it did not answer (timeout, refused connection). */
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookDelivery {
  /** Also the body's `id` and the `X-Charla-Delivery` header: the receiver deduplicates on it. */
  id: string;
  webhookId: string;
  type: string;
  state: (typeof WEBHOOK_DELIVERY_STATES)[number];
  attempts: WebhookAttempt[];
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  /** The body as sent. */
  payload: WebhookPayload;
}

/** What a receiver gets. */
export interface WebhookPayload {
  id: string;
  type: string;
  createdAt: string;
  workspaceId: string;
  data: Record<string, unknown>;
}

export const webhookDeliveryListSchema = z
  .object({
    state: z.enum(WEBHOOK_DELIVERY_STATES).optional(),
    limit: z.number().int().min(1).max(200).default(50),
    /** The last id of the previous page. */
    before: id.optional(),
  })
  .strict();
