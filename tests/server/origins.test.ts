import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';
import { startServer, type TestServer } from './helpers.js';

// A host panel on another origin uses the agent API only when the operator allowed that origin
// (CHARLA_ALLOWED_ORIGINS); the webchat works from any site.
const ADMIN_SITE = 'https://admin.example.com';
const EVIL_SITE = 'https://evil.example.net';

let t: TestServer;
before(async () => {
  t = await startServer({ server: { allowedOrigins: [ADMIN_SITE] } });
});
after(() => t.close());

function fromSite(origin: string, path: string, init: RequestInit = {}) {
  return fetch(`${t.url}${path}`, { ...init, headers: { origin, ...(init.headers as Record<string, string>) } });
}

/** Connects as a page of `origin` would (the browser sets Origin on the WebSocket handshake). */
function connectFrom(origin: string, namespace: string, auth: Record<string, unknown>): Promise<{ connected: true } | { code: unknown }> {
  const socket = io(`${t.url}${namespace}`, { auth, transports: ['websocket'], extraHeaders: { origin }, reconnection: false, forceNew: true });
  return new Promise((resolve) => {
    socket.on('connect', () => {
      socket.disconnect();
      resolve({ connected: true });
    });
    socket.on('connect_error', (error: Error & { data?: { code?: unknown } }) => {
      socket.disconnect();
      resolve({ code: error.data?.code ?? error.message });
    });
  });
}

describe('who may call from a browser on another site', () => {
  test('the allowed admin site gets CORS answers for the API, preflight included; another site gets none', async () => {
    const preflight = await fromSite(ADMIN_SITE, '/api/v1/conversations', {
      method: 'OPTIONS', headers: { 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), ADMIN_SITE);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /authorization/);

    const allowed = await fromSite(ADMIN_SITE, '/api/v1/conversations', { headers: { authorization: `Bearer ${t.acme.agent.token}` } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), ADMIN_SITE);

    const evil = await fromSite(EVIL_SITE, '/api/v1/conversations', { headers: { authorization: `Bearer ${t.acme.agent.token}` } });
    assert.equal(evil.headers.get('access-control-allow-origin'), null, 'the browser keeps the answer from the other site');
    const evilPreflight = await fromSite(EVIL_SITE, '/api/v1/conversations', { method: 'OPTIONS', headers: { 'access-control-request-method': 'GET' } });
    assert.equal(evilPreflight.headers.get('access-control-allow-origin'), null);
  });

  test('agent sockets open from the server\'s own pages and the allowed site, never from another site', async () => {
    const auth = { token: t.acme.agent.token };
    assert.deepEqual(await connectFrom(ADMIN_SITE, '/agent', auth), { connected: true });
    assert.deepEqual(await connectFrom(t.url, '/agent', auth), { connected: true }, 'same origin');
    assert.deepEqual(await connectFrom(EVIL_SITE, '/agent', auth), { code: 'forbidden' });
  });

  test('the webchat connects from any site', async () => {
    assert.deepEqual(await connectFrom(EVIL_SITE, '/visitor', { workspace: t.acme.workspace.widgetKey }), { connected: true });
  });
});

describe('the default: no other site', () => {
  test('without CHARLA_ALLOWED_ORIGINS the admin site is refused too', async () => {
    const plain = await startServer();
    try {
      const answer = await fetch(`${plain.url}/api/v1/conversations`, { headers: { origin: ADMIN_SITE, authorization: `Bearer ${plain.acme.agent.token}` } });
      assert.equal(answer.headers.get('access-control-allow-origin'), null);
      const socket = io(`${plain.url}/agent`, { auth: { token: plain.acme.agent.token }, transports: ['websocket'], extraHeaders: { origin: ADMIN_SITE }, reconnection: false, forceNew: true });
      const code = await new Promise((resolve) => socket.on('connect_error', (error: Error & { data?: { code?: unknown } }) => resolve(error.data?.code)));
      socket.disconnect();
      assert.equal(code, 'forbidden');
    } finally {
      await plain.close();
    }
  });
});
