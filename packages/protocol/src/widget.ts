/**
 * The webchat widget's contract: how a site tells Charla who the visitor is, the workspace's
 * widget settings (admin REST), and the live-only signals (typing) of both namespaces.
 */
import { z } from 'zod';
import { LIMITS } from './constants.js';

/** How a pre-chat form asks for a field. */
export const PRE_CHAT_FIELD_MODES = ['off', 'optional', 'required'] as const;
export type PreChatFieldMode = (typeof PRE_CHAT_FIELD_MODES)[number];
export const PRE_CHAT_FIELDS = ['name', 'email', 'phone'] as const;
export type PreChatField = (typeof PRE_CHAT_FIELDS)[number];

const visitorName = z.string().trim().min(1).max(LIMITS.name);
const visitorEmail = z.email().max(254);
const visitorPhone = z
  .string()
  .trim()
  .regex(/^\+?[\d\s().-]{4,32}$/, 'A phone number has digits, and may start with +');

/**
 * `Charla.identify({id, name, email, phone, hash})`. `hash` is HMAC-SHA256(workspace secret, id)
 * in hex, computed by the site's backend: with a valid one the visitor becomes that contact.
 * Without `id` (or without a valid hash) the details only describe the current visitor.
 */
export const visitorIdentifySchema = z
  .object({
    id: z.string().trim().min(1).max(200).optional(),
    name: visitorName.optional(),
    email: visitorEmail.optional(),
    phone: visitorPhone.optional(),
    hash: z.string().regex(/^[\da-fA-F]{64}$/, 'The hash is HMAC-SHA256 of the id, as 64 hex digits').optional(),
  })
  .strict()
  .refine((identity) => identity.hash === undefined || identity.id !== undefined, 'A hash needs the id it signs');

/** The pre-chat form's answers, validated against the workspace's form by the server. */
export const preChatAnswersSchema = z
  .object({ name: visitorName.optional(), email: visitorEmail.optional(), phone: visitorPhone.optional() })
  .strict();

/** Email left while no one can answer ("we will write back"). */
export const awayEmailSchema = z.object({ email: visitorEmail }).strict();

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time is HH:MM (24 h)');

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** One opening period of the week, in the workspace's time zone; day 0 is Sunday. */
export const openingPeriodSchema = z
  .object({ day: z.number().int().min(0).max(6), open: time, close: time })
  .strict()
  .refine((period) => period.open < period.close, 'A period closes after it opens');

export const widgetSettingsSchema = z
  .object({
    /** Refuse `identify` with an id but no valid hash (anonymous chats stay possible). */
    requireVerifiedIdentity: z.boolean(),
    /** Hide the launcher while the chat is away (no agent online or outside business hours). */
    hideWhenOffline: z.boolean(),
    /** IANA time zone of the business hours. */
    timezone: z.string().max(64).refine(isTimeZone, 'Unknown time zone'),
    /** Weekly opening hours; null: always open (then only agent presence decides). */
    businessHours: z.array(openingPeriodSchema).max(50).nullable(),
    /** What the pre-chat form asks before the first message. Every field `off`: no form. */
    preChat: z.record(z.enum(PRE_CHAT_FIELDS), z.enum(PRE_CHAT_FIELD_MODES)),
    /** The widget's main color (header, the visitor's bubbles, buttons), `#rrggbb`; null: the site's theme or Charla's. */
    color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'A color is #rrggbb, e.g. #0b5cad').nullable(),
    /** The first message visitors see; null: the workspace's greeting, else the widget's own. */
    greeting: z.string().trim().min(1, 'A greeting cannot be empty; send null for the default').max(500).nullable(),
  })
  .strict();

export const widgetSettingsPatchSchema = widgetSettingsSchema
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'Nothing to update');

export const DEFAULT_WIDGET_SETTINGS: z.output<typeof widgetSettingsSchema> = {
  requireVerifiedIdentity: false,
  hideWhenOffline: false,
  timezone: 'UTC',
  businessHours: null,
  preChat: { name: 'off', email: 'off', phone: 'off' },
  color: null,
  greeting: null,
};

/** An agent is typing in a conversation (relayed live, never logged). */
export const agentTypingSchema = z.object({ conversationId: z.string().min(1).max(64) }).strict();

export type VisitorIdentity = z.input<typeof visitorIdentifySchema>;
export type PreChatAnswers = z.input<typeof preChatAnswersSchema>;
export type OpeningPeriod = z.output<typeof openingPeriodSchema>;
export type WidgetSettings = z.output<typeof widgetSettingsSchema>;
export type WidgetSettingsPatch = z.input<typeof widgetSettingsPatchSchema>;

/** `GET /api/v1/workspace/widget` (admins): the settings and the identity-verification secret. */
export interface WidgetConfig {
  widgetKey: string;
  /** Key of HMAC-SHA256(secret, user id): keep it on the site's server, never in a page. */
  secret: string;
  settings: WidgetSettings;
}

/** Someone is typing: to agents `from` is `contact` or `agent`; visitors only hear agents. */
export interface TypingSignal {
  conversationId: string;
  from: 'agent' | 'contact';
  /** The typist's id (agent id or contact id). */
  id: string;
  name: string | null;
}

/** Whether the visitor can expect an answer now, and what the widget asks first. */
export interface WidgetAvailability {
  /** At least one agent is connected. */
  agentsOnline: boolean;
  /** Inside business hours (always true without them). */
  withinHours: boolean;
  hideWhenOffline: boolean;
  preChat: Record<PreChatField, PreChatFieldMode>;
  /** The widget's color and greeting the admin chose (null: the defaults). */
  color?: string | null;
  greeting?: string | null;
}
