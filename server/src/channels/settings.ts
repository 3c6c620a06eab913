/** Channel settings per workspace: saved through the API (admins), read by webhooks and sends. */
import {
  emailSettingsSchema, instagramSettingsSchema, messengerSettingsSchema, whatsappSettingsSchema,
  type ChannelSettingsView, type ConfigurableChannel, type EmailInboxView, type SettingsChannel,
} from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { nowIso } from '../ids.js';
import type { Store, StoreScope, StoredChannelSettings, StoredEmailInbox } from '../store/index.js';

export type WhatsappSettings = z.output<typeof whatsappSettingsSchema>;
export type InstagramSettings = z.output<typeof instagramSettingsSchema>;
export type MessengerSettings = z.output<typeof messengerSettingsSchema>;
export type EmailSettings = z.output<typeof emailSettingsSchema> & { inboxKey?: string };

const META_SECRETS = ['accessToken', 'appSecret', 'verifyToken'] as const;
const SECRETS: Record<SettingsChannel, readonly string[]> = {
  whatsapp: META_SECRETS,
  instagram: META_SECRETS,
  messenger: META_SECRETS,
  email: ['inboundSecret', 'smtpUrl', 'imapUrl'],
};
const IDS: Record<SettingsChannel, readonly string[]> = {
  whatsapp: ['phoneNumberId', 'wabaId', 'datasetId'],
  instagram: ['accountId'],
  messenger: ['pageId'],
  email: ['address', 'fromName', 'signature', 'inboxKey', 'smtpTlsCa'],
};
const REQUIRED: Record<SettingsChannel, readonly string[]> = {
  whatsapp: ['phoneNumberId', 'accessToken', 'appSecret', 'verifyToken'],
  instagram: ['accountId', 'accessToken', 'appSecret', 'verifyToken'],
  messenger: ['pageId', 'accessToken', 'appSecret', 'verifyToken'],
  email: ['address', 'smtpUrl'],
};
/** The setting webhooks name the workspace's account by (email: the inbox key of its webhook URL). */
export const ACCOUNT_FIELD = {
  whatsapp: 'phoneNumberId', instagram: 'accountId', messenger: 'pageId', email: 'inboxKey',
} as const satisfies Record<SettingsChannel, string>;

/** What may be shown: ids, and whether each secret is set. Secrets themselves never leave. */
export function viewOf(channel: SettingsChannel, stored: StoredChannelSettings | undefined): ChannelSettingsView {
  const settings = stored?.settings ?? {};
  return {
    channel,
    configured: REQUIRED[channel].every((field) => Boolean(settings[field])),
    ids: Object.fromEntries(IDS[channel].map((field) => [field, settings[field] ?? null])),
    secrets: Object.fromEntries(SECRETS[channel].map((field) => [field, Boolean(settings[field])])),
  };
}

export type SettingsPatch = Record<string, string | null | undefined>;

/** The settings `patch` leads to (absent fields keep their value). */
export function patched(current: Record<string, string | null>, patch: SettingsPatch): Record<string, string | null> {
  const settings: Record<string, string | null> = { ...current };
  for (const [field, value] of Object.entries(patch)) if (value !== undefined) settings[field] = value;
  return settings;
}

/**
 * Merges `patch` into the stored settings. The channel account they name must not be another
 * workspace's (`channel_taken`); proving it is the caller's (see ownership.ts) is for the API,
 * since the demo's own settings come from the operator's environment.
 */
export async function saveChannelSettings(
  scope: StoreScope,
  workspaceId: string,
  channel: SettingsChannel,
  patch: SettingsPatch,
): Promise<ChannelSettingsView> {
  const settings = patched((await scope.channels.settings(workspaceId, channel))?.settings ?? {}, patch);
  const accountId = settings[ACCOUNT_FIELD[channel]] ?? null;
  if (accountId) await refuseIfTaken(scope, workspaceId, channel, accountId);
  const stored: StoredChannelSettings = { workspaceId, channel, accountId, settings };
  await scope.channels.saveSettings(stored, nowIso());
  generation += 1;
  return viewOf(channel, stored);
}

/** `channel_taken` when a workspace other than `workspaceId` holds the channel account. */
export async function refuseIfTaken(
  store: Store | StoreScope, workspaceId: string, channel: SettingsChannel, accountId: string,
): Promise<void> {
  const holders = await store.channels.settingsByAccount(channel, accountId);
  if (holders.some((holder) => holder.workspaceId !== workspaceId)) {
    throw new CharlaFailure('channel_taken', `${ACCOUNT_FIELD[channel]}: ${accountId} is already connected to another workspace`);
  }
}

/**
 * Settings are read on every webhook and send, and change rarely: reads through a Store are kept
 * for a moment. A save in this process drops them at once; another process's save is seen
 * within CACHE_MS (and the one read that refreshes them). Reads that miss at the same time share
 * one query; once the moment is over, the kept value still answers while that query runs (a
 * burst of webhooks does not queue behind the database for settings).
 */
const CACHE_MS = 2000;
let generation = 0;
interface Cached {
  value: Promise<unknown>;
  generation: number;
  until: number;
  refreshing: boolean;
}
const caches = new WeakMap<object, Map<string, Cached>>();

function cached<T>(owner: Store | StoreScope, key: string, load: () => Promise<T>): Promise<T> {
  let cache = caches.get(owner);
  if (!cache) caches.set(owner, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && hit.generation === generation && (hit.until > Date.now() || hit.refreshing)) return hit.value as Promise<T>;
  const value = load();
  const entry: Cached = { value, generation, until: Number.POSITIVE_INFINITY, refreshing: false };
  if (hit && hit.generation === generation) {
    // Expired: the kept value answers until the new one is read.
    hit.refreshing = true;
    value.then(() => cache.set(key, { ...entry, until: Date.now() + CACHE_MS }), () => cache.delete(key));
    return hit.value as Promise<T>;
  }
  cache.set(key, entry);
  value.then(() => cache.get(key) === entry && (entry.until = Date.now() + CACHE_MS), () => cache.get(key) === entry && cache.delete(key));
  return value;
}

export async function whatsappSettings(store: Store | StoreScope, workspaceId: string): Promise<WhatsappSettings | null> {
  const stored = await cached(store, `ws:${workspaceId}:whatsapp`, () => store.channels.settings(workspaceId, 'whatsapp'));
  return stored ? (stored.settings as WhatsappSettings) : null;
}

export async function instagramSettings(store: Store | StoreScope, workspaceId: string): Promise<InstagramSettings | null> {
  const stored = await cached(store, `ws:${workspaceId}:instagram`, () => store.channels.settings(workspaceId, 'instagram'));
  return stored ? (stored.settings as InstagramSettings) : null;
}

export async function messengerSettings(store: Store | StoreScope, workspaceId: string): Promise<MessengerSettings | null> {
  const stored = await cached(store, `ws:${workspaceId}:messenger`, () => store.channels.settings(workspaceId, 'messenger'));
  return stored ? (stored.settings as MessengerSettings) : null;
}

/** An email inbox with its settings (`inboxKey` is its id). */
export interface EmailInbox {
  id: string;
  workspaceId: string;
  createdAt: string;
  settings: EmailSettings & { inboxKey: string };
}

const toInbox = (stored: StoredEmailInbox): EmailInbox => ({
  id: stored.id, workspaceId: stored.workspaceId, createdAt: stored.createdAt,
  settings: { ...(stored.settings as EmailSettings), inboxKey: stored.id },
});

/** A workspace's email inboxes, the first made first. */
export async function emailInboxes(store: Store | StoreScope, workspaceId: string): Promise<EmailInbox[]> {
  return (await cached(store, `ws:${workspaceId}:email`, () => store.channels.emailInboxes(workspaceId))).map(toInbox);
}

/** The inbox a webhook URL names, whichever workspace holds it. */
export async function emailInboxById(store: Store | StoreScope, id: string): Promise<EmailInbox | null> {
  const stored = await cached(store, `inbox:${id}`, () => store.channels.emailInbox(id));
  return stored ? toInbox(stored) : null;
}

/** What may be shown of an inbox: its id, ids and whether each secret is set. */
export function inboxView(inbox: EmailInbox | StoredEmailInbox | undefined): EmailInboxView {
  const view = viewOf('email', inbox && { workspaceId: inbox.workspaceId, channel: 'email', accountId: inbox.id, settings: { ...inbox.settings, inboxKey: inbox.id } });
  return { ...view, id: inbox?.id ?? null };
}

/** Drops the settings kept for a moment (after a save that went around saveChannelSettings). */
export function settingsChanged(): void {
  generation += 1;
}

/** The workspaces' settings for a channel account a webhook names. */
export function settingsOfAccount(store: Store, channel: SettingsChannel, accountId: string): Promise<StoredChannelSettings[]> {
  return cached(store, `account:${channel}:${accountId}`, () => store.channels.settingsByAccount(channel, accountId));
}

/** The demo workspace's channel settings: `CHARLA_*` variables, else demo values. */
export function demoChannelSettings(env: NodeJS.ProcessEnv): Record<ConfigurableChannel, Record<string, string>> {
  return {
    whatsapp: {
      verifyToken: env.CHARLA_WHATSAPP_VERIFY_TOKEN ?? 'charla-demo-verify',
      appSecret: env.CHARLA_WHATSAPP_APP_SECRET ?? 'charla-demo-whatsapp-secret',
      accessToken: env.CHARLA_WHATSAPP_TOKEN ?? 'charla-demo-whatsapp-token',
      phoneNumberId: env.CHARLA_WHATSAPP_PHONE_NUMBER_ID ?? '106540352242922',
      wabaId: env.CHARLA_WHATSAPP_WABA_ID ?? '102290129340398',
    },
    instagram: {
      verifyToken: env.CHARLA_INSTAGRAM_VERIFY_TOKEN ?? 'charla-demo-verify',
      appSecret: env.CHARLA_INSTAGRAM_APP_SECRET ?? 'charla-demo-instagram-secret',
      accessToken: env.CHARLA_INSTAGRAM_TOKEN ?? 'charla-demo-instagram-token',
      accountId: env.CHARLA_INSTAGRAM_ACCOUNT_ID ?? '17841400000000000',
    },
    messenger: {
      verifyToken: env.CHARLA_MESSENGER_VERIFY_TOKEN ?? 'charla-demo-verify',
      appSecret: env.CHARLA_MESSENGER_APP_SECRET ?? 'charla-demo-messenger-secret',
      accessToken: env.CHARLA_MESSENGER_TOKEN ?? 'charla-demo-messenger-token',
      pageId: env.CHARLA_MESSENGER_PAGE_ID ?? '104000000000001',
    },
  };
}
