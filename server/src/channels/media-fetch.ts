/**
 * Downloads channel media without letting a sender aim the server elsewhere. An Instagram
 * attachment URL is chosen by whoever sends the message, so media is fetched only:
 * - over https from Meta's CDN hosts (an allow-list of host suffixes), or from the Graph API's own
 *   origin as configured (the server already sends its tokens there);
 * - from public addresses: the host is resolved here and the connection goes to the very address
 *   that was checked, so a DNS answer that changes between check and connect (rebinding) cannot
 *   reach loopback, private, link-local, unique-local or IPv4-mapped addresses;
 * - within a size and a time limit, following redirects by hand and checking every hop;
 * - with the bearer token only for the origin it was meant for, never after a redirect elsewhere.
 * Tests fetch from loopback fakes: `allowLocalNetwork` (off by default) lets plain http and
 * private addresses through.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export interface MediaPolicy {
  /** Host suffixes media may come from: `fbcdn.net` allows `fbcdn.net` and `*.fbcdn.net`. */
  hosts: readonly string[];
  /** Also plain http and loopback/private addresses (tests, local development). */
  allowLocalNetwork: boolean;
  /** Largest file kept (bytes). */
  maxBytes: number;
  /** Longest a whole download may take, redirects included (ms). */
  timeoutMs: number;
}

/** Meta's CDNs: Instagram and Messenger attachments, WhatsApp media downloads (lookaside.fbsbx.com). */
export const META_MEDIA_HOSTS = ['fbcdn.net', 'fbsbx.com', 'cdninstagram.com', 'whatsapp.net'] as const;

export const DEFAULT_MEDIA_POLICY: MediaPolicy = {
  hosts: META_MEDIA_HOSTS,
  allowLocalNetwork: false,
  maxBytes: 25 * 1024 * 1024,
  timeoutMs: 30_000,
};

const MAX_REDIRECTS = 3;

/**
 * The policy from `CHARLA_MEDIA_HOSTS` (comma-separated host suffixes, replacing Meta's),
 * `CHARLA_MEDIA_ALLOW_LOCAL=1` and `CHARLA_MEDIA_MAX_BYTES`, under the server's own options.
 */
export function mediaPolicyFrom(options: Partial<MediaPolicy> | undefined, env: NodeJS.ProcessEnv): MediaPolicy {
  const hosts = env.CHARLA_MEDIA_HOSTS?.split(',').map((host) => host.trim().toLowerCase()).filter(Boolean);
  const maxBytes = Number(env.CHARLA_MEDIA_MAX_BYTES);
  return {
    ...DEFAULT_MEDIA_POLICY,
    ...(hosts?.length ? { hosts } : {}),
    ...(env.CHARLA_MEDIA_ALLOW_LOCAL === '1' ? { allowLocalNetwork: true } : {}),
    ...(Number.isInteger(maxBytes) && maxBytes > 0 ? { maxBytes } : {}),
    ...options,
  };
}

/** A download that did not happen; `transient` ones (network, timeouts, 5xx) are worth retrying. */
export class MediaFetchError extends Error {
  override readonly name = 'MediaFetchError';
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

const refused = (message: string) => new MediaFetchError(message, false);

/** Addresses media never comes from: what is not the public internet. */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 127], ['::ffff:0:0', 96], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Resolves like `dns.lookup` but refuses a host with any address that is not public, and hands
 * the connection exactly the addresses it checked.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const blocked = addresses.find((entry) => !isPublicAddress(entry.address));
    if (blocked || addresses.length === 0) {
      return callback(refused(`${hostname} resolves to ${blocked?.address ?? 'nothing'}, not a public address`), '', 0);
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

interface FetchRequest {
  url: string;
  /** Sent as `Authorization: Bearer …` to `url`'s own origin only. */
  token?: string;
  /** The Graph API's origin: trusted as configured (any scheme and address). */
  trustedOrigin?: string;
}

/** Downloads media under `policy`, or fails with a `MediaFetchError` saying why. */
export async function fetchMedia(policy: MediaPolicy, request: FetchRequest): Promise<{ bytes: Buffer; contentType: string | null }> {
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  let url = parseUrl(request.url);
  const tokenOrigin = url.origin;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    const trusted = url.origin === request.trustedOrigin;
    if (!trusted) checkUrl(url, policy);
    const response = await get(url, {
      lookup: trusted || policy.allowLocalNetwork ? undefined : publicOnlyLookup,
      token: request.token && url.origin === tokenOrigin ? request.token : undefined,
      signal: deadline,
    });
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      url = parseUrl(response.headers.location, url);
      continue;
    }
    if (status < 200 || status >= 300) {
      response.resume();
      throw new MediaFetchError(`${url.host} answered ${status}`, status === 429 || status >= 500);
    }
    return { bytes: await readLimited(response, policy.maxBytes, url), contentType: response.headers['content-type'] ?? null };
  }
  throw refused(`More than ${MAX_REDIRECTS} redirects`);
}

function parseUrl(value: string, base?: URL): URL {
  try {
    return new URL(value, base);
  } catch {
    throw refused('The media link is not a valid URL');
  }
}

/** The policy's static part: the scheme, the host's name, and literal addresses (never looked up). */
function checkUrl(url: URL, policy: MediaPolicy): void {
  const http = url.protocol === 'http:' && policy.allowLocalNetwork;
  if (url.protocol !== 'https:' && !http) throw refused(`Media is fetched over https only, not ${url.protocol}`);
  if (url.username || url.password) throw refused('Media links carry no credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (!policy.hosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`))) {
    throw refused(`${host} is not a host media is fetched from`);
  }
  if (isIP(host) && !policy.allowLocalNetwork && !isPublicAddress(host)) throw refused(`${host} is not a public address`);
}

function get(url: URL, options: { lookup: LookupFunction | undefined; token: string | undefined; signal: AbortSignal }): Promise<IncomingMessage> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, {
      method: 'GET',
      headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
      // A fresh connection per hop: one checked for another host is never reused.
      agent: false,
      signal: options.signal,
      ...(options.lookup ? { lookup: options.lookup } : {}),
    });
    request.on('response', resolve);
    request.on('error', (error) => reject(error instanceof MediaFetchError ? error : failedToFetch(url, error, options.signal)));
    request.end();
  });
}

function failedToFetch(url: URL, error: Error, signal: AbortSignal): MediaFetchError {
  return new MediaFetchError(signal.aborted ? `${url.host} took too long` : `${url.host} could not be reached: ${error.message}`, true);
}

async function readLimited(response: IncomingMessage, maxBytes: number, url: URL): Promise<Buffer> {
  const tooLarge = () => refused(`The file is larger than ${maxBytes} bytes`);
  if (Number(response.headers['content-length']) > maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        response.destroy();
        throw tooLarge();
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof MediaFetchError) throw error;
    throw new MediaFetchError(`${url.host} broke off the download: ${(error as Error).message}`, true);
  }
  return Buffer.concat(chunks);
}
