/**
 * The address a request or socket comes from. Behind proxies (`CHARLA_TRUST_PROXY` hops: nginx,
 * a load balancer) every connection comes from the proxy, so the per-address limits would count
 * all visitors as one: with N trusted hops the client is read from the last N `X-Forwarded-For`
 * entries those proxies appended (never from entries a client could write itself).
 */
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** The client's address of `req` when `hops` proxies in front of the server are trusted. */
export function clientAddress(req: IncomingMessage, hops: number): string {
  if (hops <= 0) return req.socket.remoteAddress ?? 'unknown';
  return proxyaddr(req as Parameters<typeof proxyaddr>[0], (_address, index) => index < hops);
}

/** `CHARLA_TRUST_PROXY`: how many proxies in front of the server to trust (0 by default). */
export function trustedHopsFrom(env: NodeJS.ProcessEnv): number {
  const hops = Number(env.CHARLA_TRUST_PROXY ?? 0);
  return Number.isInteger(hops) && hops >= 0 ? hops : 0;
}
