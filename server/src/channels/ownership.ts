/**
 * A channel account (WhatsApp phone number id, Instagram account id) belongs to one workspace:
 * its webhooks bring that workspace's customers. So an admin may connect one only when no other
 * workspace holds it (`channel_taken`, 409) and the access token they give can read it from the
 * Graph API (`channel_unverified`, 422): a number or account id alone proves nothing.
 */
import type { ChannelSettingsView, ConfigurableChannel } from '@charla/protocol';
import { CharlaFailure } from '../failure.js';
import type { Store } from '../store/index.js';
import { GraphError, type GraphClient } from './graph.js';
import { ACCOUNT_FIELD, patched, refuseIfTaken, saveChannelSettings, type SettingsPatch } from './settings.js';

/** How the Graph API reads each kind of account, and what Meta calls it. */
const ACCOUNT_READS: Record<ConfigurableChannel, { fields: string; label: string }> = {
  whatsapp: { fields: 'id,display_phone_number,verified_name', label: 'WhatsApp phone number' },
  instagram: { fields: 'id,username', label: 'Instagram account' },
  messenger: { fields: 'id,name', label: 'Facebook Page' },
};

/**
 * Saves an admin's channel settings. When they connect an account, or change the token of one,
 * the account must be free and the token must read it before anything is stored.
 */
export async function updateChannelSettings(
  store: Store,
  graph: GraphClient,
  workspaceId: string,
  channel: ConfigurableChannel,
  patch: SettingsPatch,
): Promise<ChannelSettingsView> {
  const current = (await store.channels.settings(workspaceId, channel))?.settings ?? {};
  const next = patched(current, patch);
  const field = ACCOUNT_FIELD[channel];
  const accountId = next[field];
  if (accountId && (accountId !== current[field] || next.accessToken !== current.accessToken)) {
    await refuseIfTaken(store, workspaceId, channel, accountId);
    await proveAccount(graph, channel, accountId, next.accessToken ?? null);
  }
  // Checked again as it is stored (and the unique index holds across processes).
  return store.transaction((scope) => saveChannelSettings(scope, workspaceId, channel, patch));
}

/** Resolves when `accessToken` reads the account `accountId` from the Graph API. */
export async function proveAccount(graph: GraphClient, channel: ConfigurableChannel, accountId: string, accessToken: string | null): Promise<void> {
  const { fields, label } = ACCOUNT_READS[channel];
  if (!accessToken) {
    throw new CharlaFailure('channel_unverified', `accessToken: needed to prove that ${label} ${accountId} is yours`);
  }
  let account: { id?: unknown };
  try {
    account = await graph.get<{ id?: unknown }>(`${encodeURIComponent(accountId)}?fields=${fields}`, accessToken);
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    if (error.transient) throw new CharlaFailure('offline', `Could not ask the Graph API about ${label} ${accountId}; try again (${error.describe()})`);
    throw new CharlaFailure('channel_unverified', `The access token cannot read ${label} ${accountId}: ${error.describe()}`);
  }
  if (String(account.id) !== accountId) {
    throw new CharlaFailure('channel_unverified', `The access token reads another account than ${label} ${accountId}`);
  }
}
