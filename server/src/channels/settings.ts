/** Channel settings per workspace: saved through the API (admins), read by webhooks and sends. */
import {
  instagramSettingsSchema, whatsappSettingsSchema,
  type ChannelSettingsView, type ConfigurableChannel,
} from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { nowIso } from '../ids.js';
import type { Store, StoreScope, StoredChannelSettings } from '../store/index.js';

export type WhatsappSettings = z.output<typeof whatsappSettingsSchema>;
export type InstagramSettings = z.output<typeof instagramSettingsSchema>;

const SECRETS = ['accessToken', 'appSecret', 'verifyToken'] as const;
const IDS: Record<ConfigurableChannel, readonly string[]> = {
  whatsapp: ['phoneNumberId', 'wabaId', 'datasetId'],
  instagram: ['accountId'],
};
const REQUIRED: Record<ConfigurableChannel, readonly string[]> = {
  whatsapp: ['phoneNumberId', 'accessToken', 'appSecret', 'verifyToken'],
  instagram: ['accountId', 'accessToken', 'appSecret', 'verifyToken'],
};
/** The setting webhooks name the workspace's account by. */
export const ACCOUNT_FIELD = { whatsapp: 'phoneNumberId', instagram: 'accountId' } as const satisfies Record<ConfigurableChannel, string>;

/** What may be shown: ids, and whether each secret is set. Secrets themselves never leave. */
export function viewOf(channel: ConfigurableChannel, stored: StoredChannelSettings | undefined): ChannelSettingsView {
  const settings = stored?.settings ?? {};
  return {
    channel,
    configured: REQUIRED[channel].every((field) => Boolean(settings[field])),
    ids: Object.fromEntries(IDS[channel].map((field) => [field, settings[field] ?? null])),
    secrets: Object.fromEntries(SECRETS.map((field) => [field, Boolean(settings[field])])),
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
  channel: ConfigurableChannel,
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
  store: Store | StoreScope, workspaceId: string, channel: ConfigurableChannel, accountId: string,
): Promise<void> {
  const holders = await store.channels.settingsByAccount(channel, accountId);
  if (holders.some((holder) => holder.workspaceId !== workspaceId)) {
    throw new CharlaFailure('channel_taken', `${ACCOUNT_FIELD[channel]}: ${accountId} is already connected to another workspace`);
  }
}

/**
 * Settings are read on every webhook and send, and change rarely: reads through a Store are kept
 * for a moment. A save in this process drops them at once; another process's save is seen
 * within CACHE_MS.
 */
const CACHE_MS = 2000;
let generation = 0;
const caches = new WeakMap<object, Map<string, { value: unknown; generation: number; until: number }>>();

async function cached<T>(owner: Store | StoreScope, key: string, load: () => Promise<T>): Promise<T> {
  let cache = caches.get(owner);
  if (!cache) caches.set(owner, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && hit.generation === generation && hit.until > Date.now()) return hit.value as T;
  const value = await load();
  cache.set(key, { value, generation, until: Date.now() + CACHE_MS });
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

/** The workspaces' settings for a channel account a webhook names. */
export function settingsOfAccount(store: Store, channel: ConfigurableChannel, accountId: string): Promise<StoredChannelSettings[]> {
  return cached(store, `account:${channel}:${accountId}`, () => store.channels.settingsByAccount(channel, accountId));
}

/** The demo workspace's channel settings: `CHARLA_*` variables, else demo values. */
export function demoChannelSettings(env: NodeJS.ProcessEnv): { whatsapp: Record<string, string>; instagram: Record<string, string> } {
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
  };
}
