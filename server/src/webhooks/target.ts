/**
 * Where webhooks may be sent. A subscription's URL is chosen by an admin, but the server makes
 * the request from inside the operator's network, so (SSRF) only http(s) URLs of public
 * addresses are taken: the host is resolved when the URL is saved, and again at each delivery,
 * where the connection goes to the very address that was checked (no DNS rebinding). Tests and
 * the demo post to loopback receivers with `CHARLA_WEBHOOKS_ALLOW_PRIVATE=true`.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { CharlaFailure } from '../failure.js';
import { isPublicAddress } from '../channels/media-fetch.js';

/** `CHARLA_WEBHOOKS_ALLOW_PRIVATE=true`: loopback and private addresses may receive webhooks. */
export function webhooksAllowPrivateFrom(env: NodeJS.ProcessEnv): boolean {
  return env.CHARLA_WEBHOOKS_ALLOW_PRIVATE === 'true';
}

const refused = (message: string) => new CharlaFailure('invalid_payload', `url: ${message}`);

/** Refuses (400) a URL webhooks may not be sent to; resolves when it may. */
export async function checkWebhookTarget(value: string, allowPrivate: boolean): Promise<void> {
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refused('only http and https URLs can receive webhooks');
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    if (!isPublicAddress(host)) throw refused(`${host} is a loopback, private or reserved address; webhooks go to public addresses only`);
    return;
  }
  let addresses: Array<{ address: string }>;
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    throw refused(`${host} could not be resolved`);
  }
  const blocked = addresses.find((entry) => !isPublicAddress(entry.address));
  if (blocked || addresses.length === 0) {
    throw refused(`${host} resolves to ${blocked?.address ?? 'nothing'}, a loopback, private or reserved address; webhooks go to public addresses only`);
  }
}
