import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { ERROR_HTTP_STATUS, type AgentRole, type ErrorCode } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { api, connectAgent, connectError, connectVisitor, emitAck } from '../server/helpers.js';
import { EVENTS, ROLES, ROUTES, rolesTable, type Access, type RestRequest, type RouteRule } from './access.js';
import { PLATFORM_KEY, registeredEvents, registeredRoutes, startSecurityKit, type SecurityKit } from './kit.js';

// Every route and socket event against the authorization table: without credentials refused,
// another workspace's objects not found, each role below the minimum forbidden, the minimum served.
let kit: SecurityKit;
before(async () => {
  kit = await startSecurityKit();
});
after(() => kit.close());

const isRole = (access: Access): access is AgentRole => (ROLES as readonly string[]).includes(access);
const rolesBelow = (access: AgentRole) => ROLES.slice(0, ROLES.indexOf(access));
const label = (what: string, who: string) => `${what} as ${who}`;

function send(method: string, request: RestRequest, token?: string) {
  return api(kit.url, request.path, { method, token, body: request.body, headers: request.body === undefined ? request.headers : { 'content-type': 'application/json', ...request.headers } });
}

/** Acme's ids that a Globex answer mentions (none may). */
function leakedIds(answer: unknown): string[] {
  const text = JSON.stringify(answer) ?? '';
  return kit.acmeIds.filter((id) => text.includes(id));
}

const mentionsAcme = (value: unknown) => leakedIds(value).length > 0;

/** `value` with each of Acme's ids replaced by an id no workspace has (same prefix and length). */
function withMadeUpIds<T>(value: T): T {
  let text = JSON.stringify(value);
  kit.acmeIds.forEach((id, index) => {
    text = text.replaceAll(id, id.replace(/(?<=_).+$/, (rest) => `${index}`.padStart(rest.length, 'z')));
  });
  return JSON.parse(text) as T;
}

/**
 * Globex's answer about Acme's objects must be a refusal that tells nothing: the very answer an id
 * that exists nowhere gets.
 */
function assertSameAsNowhere(what: string, foreign: { status: number; code: unknown }, nowhere: { status: number; code: unknown }): void {
  assert.ok([400, 403, 404].includes(foreign.status), `${what}: ${JSON.stringify(foreign)}`);
  assert.deepEqual(foreign, nowhere, `${what}: answers otherwise than for an id that exists nowhere`);
}

test('the table lists every route and socket event the server registers, and nothing else', async () => {
  const routes = registeredRoutes(kit.test.server.app);
  assert.deepEqual(routes.filter((route) => !(route in ROUTES)), [], 'routes without a row in tests/security/access.ts');
  assert.deepEqual(Object.keys(ROUTES).filter((route) => !routes.includes(route)), [], 'rows of routes the server no longer has');

  const events = [
    ...(await registeredEvents(kit, '/agent')).map((name) => `/agent ${name}`),
    ...(await registeredEvents(kit, '/visitor')).map((name) => `/visitor ${name}`),
  ];
  assert.deepEqual(events.filter((event) => !(event in EVENTS)), [], 'events without a row in tests/security/access.ts');
  assert.deepEqual(Object.keys(EVENTS).filter((event) => !events.includes(event)), [], 'rows of events the server no longer has');
});

test('the README\'s roles table is the authorization table', async () => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const section = /<!-- roles:begin -->\n([\s\S]*?)\n<!-- roles:end -->/.exec(readme)?.[1];
  assert.equal(section, rolesTable(), 'README.md between the roles markers (paste rolesTable() of tests/security/access.ts)');
});

async function checkAgentRoute(route: string, rule: RouteRule & { access: AgentRole }, request: RestRequest): Promise<void> {
  const method = route.split(' ')[0] as string;
  const anonymous = await send(method, request);
  assert.equal(anonymous.status, 401, label(route, 'nobody'));
  assert.equal(anonymous.body?.error?.code, 'unauthorized', label(route, 'nobody'));
  const forged = await send(method, request, 'not-a-token-of-anyone-at-all');
  assert.equal(forged.status, 401, label(route, 'an unknown token'));

  const globex = kit.test.globex.admin.token;
  const foreign = await send(method, request, globex);
  if (mentionsAcme(request)) {
    const nowhere = await send(method, withMadeUpIds(request), globex);
    const answer = (response: typeof foreign) => ({ status: response.status, code: response.body?.error?.code });
    assertSameAsNowhere(label(route, 'Globex\'s admin'), answer(foreign), answer(nowhere));
  } else {
    assert.ok(foreign.status < 300, `${label(route, 'Globex\'s admin')}: ${foreign.status} ${JSON.stringify(foreign.body)}`);
    assert.deepEqual(leakedIds(foreign.body), [], label(route, 'Globex\'s admin'));
  }

  for (const role of rolesBelow(rule.access)) {
    const refused = await send(method, request, kit.test.acme[role].token);
    assert.equal(refused.status, 403, `${label(route, `Acme's ${role}`)}: ${JSON.stringify(refused.body)}`);
    assert.equal(refused.body.error.code, 'forbidden');
  }
  const served = await send(method, request, kit.test.acme[rule.access].token);
  assert.ok(served.status >= 200 && served.status < 300, `${label(route, `Acme's ${rule.access}`)}: ${served.status} ${JSON.stringify(served.body)}`);
}

async function checkMetaRoute(route: string, rule: RouteRule): Promise<void> {
  const method = route.split(' ')[0] as string;
  const unsigned = await send(method, await rule.request(kit, null));
  assert.ok([401, 403].includes(unsigned.status), `${label(route, 'nobody')}: ${unsigned.status}`);
  if (!rule.sharedAcrossWorkspaces) {
    const foreign = await send(method, await rule.request(kit, 'globex'));
    assert.equal(foreign.status, 403, label(route, 'signed with Globex\'s secret'));
  }
  const signed = await send(method, await rule.request(kit, 'acme'));
  assert.equal(signed.status, 200, label(route, 'signed with Acme\'s secret'));
}

/** The host's backend only: no key, a wrong key or an agent's token (even an admin's) is refused; the key is served. */
async function checkPlatformRoute(route: string, rule: RouteRule): Promise<void> {
  const method = route.split(' ')[0] as string;
  const request = await rule.request(kit, null);
  for (const [who, token] of [['nobody', undefined], ['a wrong key', 'not-the-platform-key-not-the-platform-key'], ['Acme\'s admin', kit.test.acme.admin.token]] as const) {
    const refused = await send(method, request, token);
    assert.equal(refused.status, 401, `${label(route, who)}: ${refused.status} ${JSON.stringify(refused.body)}`);
  }
  const served = await send(method, request, PLATFORM_KEY);
  assert.ok(served.status >= 200 && served.status < 300, `${label(route, 'the platform key')}: ${served.status} ${JSON.stringify(served.body)}`);
}

test('every REST route answers each caller as the table says', async () => {
  for (const [route, rule] of Object.entries(ROUTES)) {
    if (isRole(rule.access)) await checkAgentRoute(route, { ...rule, access: rule.access }, await rule.request(kit, null));
    else if (rule.access === 'meta' || rule.access === 'inbox') await checkMetaRoute(route, rule);
    else if (rule.access === 'platform') await checkPlatformRoute(route, rule);
    else {
      const answer = await send(route.split(' ')[0] as string, await rule.request(kit, null));
      assert.equal(answer.status, 200, label(route, 'nobody'));
    }
  }
});

test('the agent namespace refuses connections without a valid agent token', async () => {
  for (const auth of [{}, { token: 'not-a-token-of-anyone-at-all' }, { token: 42 }]) {
    assert.equal((await connectError(kit.url, '/agent', auth)).code, 'unauthorized', JSON.stringify(auth));
  }
});

test('every agent socket event answers each role as the table says', async () => {
  const sockets: Record<AgentRole, Socket> = {
    viewer: await connectAgent(kit.url, kit.test.acme.viewer.token),
    agent: await connectAgent(kit.url, kit.test.acme.agent.token),
    admin: await connectAgent(kit.url, kit.test.acme.admin.token),
  };
  const globex = await connectAgent(kit.url, kit.test.globex.admin.token);
  for (const [key, rule] of Object.entries(EVENTS)) {
    const [namespace, event] = key.split(' ') as [string, string];
    if (namespace !== '/agent') continue;
    assert.ok(isRole(rule.access), `${key}: an agent event needs a role`);
    const payload = await rule.payload(kit);

    const foreign = await emitAck(globex, event, payload);
    if (mentionsAcme(payload)) {
      const nowhere = await emitAck(globex, event, withMadeUpIds(payload));
      const answer = (ack: typeof foreign) => ({ status: ack.ok ? 200 : ERROR_HTTP_STATUS[ack.error.code as ErrorCode], code: ack.ok ? undefined : ack.error.code });
      assertSameAsNowhere(label(key, 'Globex\'s admin'), answer(foreign), answer(nowhere));
    } else {
      assert.ok(foreign.ok, `${label(key, 'Globex\'s admin')}: ${JSON.stringify(foreign)}`);
      assert.deepEqual(leakedIds(foreign.data), [], label(key, 'Globex\'s admin'));
    }
    for (const role of rolesBelow(rule.access)) {
      const refused = await emitAck(sockets[role], event, payload);
      assert.ok(!refused.ok && refused.error.code === 'forbidden', `${label(key, `Acme's ${role}`)}: ${JSON.stringify(refused)}`);
    }
    const served = await emitAck(sockets[rule.access], event, payload);
    assert.ok(served.ok, `${label(key, `Acme's ${rule.access}`)}: ${JSON.stringify(served)}`);
  }
});

test('the visitor namespace needs a known widget key, and a visitor only ever reaches their own workspace', async () => {
  for (const auth of [{}, { workspace: 'no-such-widget-key' }]) {
    assert.ok((await connectError(kit.url, '/visitor', auth)).code, JSON.stringify(auth));
  }
  const acmeVisitor = await connectVisitor(kit.url, kit.test.acme.workspace.widgetKey, kit.acme.visitorToken);
  const globexVisitor = await connectVisitor(kit.url, kit.test.globex.workspace.widgetKey);
  // Acme's visitor token names Acme's contact: presented with Globex's widget key, it is not that visitor.
  const borrowed = await connectVisitor(kit.url, kit.test.globex.workspace.widgetKey, kit.acme.visitorToken).catch(() => null);
  for (const [key, rule] of Object.entries(EVENTS)) {
    const [namespace, event] = key.split(' ') as [string, string];
    if (namespace !== '/visitor') continue;
    assert.equal(rule.access, 'visitor', key);
    const payload = await rule.payload(kit);
    for (const [who, socket] of [['Globex\'s visitor', globexVisitor], ['Acme\'s token under Globex\'s key', borrowed]] as const) {
      if (!socket) continue;
      const foreign = await emitAck(socket, event, payload);
      assert.deepEqual(leakedIds(foreign), [], label(key, who));
    }
    const served = await emitAck(acmeVisitor, event, payload);
    assert.ok(served.ok, `${label(key, 'Acme\'s visitor')}: ${JSON.stringify(served)}`);
  }
});
