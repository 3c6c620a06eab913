/** Broadcasts over REST (admins): preview, create, list, one with its recipients, cancel, settings. */
import type {
  Broadcast, BroadcastCreateRequest, BroadcastPreview, BroadcastPreviewRequest, BroadcastRecipientPage, BroadcastSettings, RecipientStatus,
} from '@charla/protocol';
import { call, type Api } from './rest.js';

const path = (id: string) => `/api/v1/broadcasts/${encodeURIComponent(id)}`;

/** The workspace's broadcasts, newest first, with their counts. */
export async function fetchBroadcasts(client: Api): Promise<Broadcast[]> {
  return (await (await call<{ broadcasts: Broadcast[] }>(client, '/api/v1/broadcasts')).json()).broadcasts;
}

export async function fetchBroadcast(client: Api, id: string): Promise<Broadcast> {
  return (await call<Broadcast>(client, path(id))).json();
}

/** A page of a broadcast's recipients in audience order, optionally of one status. */
export async function fetchBroadcastRecipients(
  client: Api,
  id: string,
  options: { status?: RecipientStatus; offset?: number; limit?: number } = {},
): Promise<BroadcastRecipientPage> {
  const query = new URLSearchParams(Object.entries(options).filter(([, value]) => value !== undefined).map(([key, value]) => [key, String(value)]));
  return (await call<BroadcastRecipientPage>(client, `${path(id)}/recipients?${query}`)).json();
}

/** How many it reaches, the rendered message, and who is skipped and why. */
export async function previewBroadcast(client: Api, request: BroadcastPreviewRequest): Promise<BroadcastPreview> {
  return (await call<BroadcastPreview>(client, '/api/v1/broadcasts/preview', request)).json();
}

/** Sends now, or at `scheduledAt`. */
export async function createBroadcast(client: Api, request: BroadcastCreateRequest): Promise<Broadcast> {
  return (await call<Broadcast>(client, '/api/v1/broadcasts', request)).json();
}

export async function cancelBroadcast(client: Api, id: string): Promise<Broadcast> {
  return (await call<Broadcast>(client, `${path(id)}/cancel`, {})).json();
}

export async function fetchBroadcastSettings(client: Api): Promise<BroadcastSettings> {
  return (await call<BroadcastSettings>(client, '/api/v1/broadcasts/settings')).json();
}
