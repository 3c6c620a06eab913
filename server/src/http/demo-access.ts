import { isIP } from 'node:net';
import type { RequestHandler } from 'express';
import { CharlaFailure } from '../failure.js';

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (`::ffff:127.0.0.1`). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(plain) === 4) return plain.startsWith('127.');
  return plain === '::1';
}

/**
 * Demo mode's routes hand out the admin token (`/demo/config.json`), the channels' app secrets
 * (`/demo/simulator.json`), customers' messages (`/demo/graph-outbox`) and identity signatures
 * (`/demo/identity`): only clients on this machine may read them. The peer address is the
 * socket's own (X-Forwarded-For is not trusted), so a reverse proxy on the same machine would make
 * every visitor local: a public demo goes through `--demo-public` instead.
 */
export const loopbackOnly: RequestHandler = (req, _res, next) => {
  if (!isLoopback(req.socket.remoteAddress)) {
    throw new CharlaFailure('forbidden', 'The demo routes answer only on the machine the demo runs on');
  }
  next();
};
