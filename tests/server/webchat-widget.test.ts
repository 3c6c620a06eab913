import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ChangeEvent, Message, TypingSignal, VisitorSession, WidgetAvailability, WidgetConfig } from '@charla/protocol';
import {
  api, clientId, connectAgent, connectVisitor, emitAck, eventually, recordEvents, request, settle, startServer,
  type TestServer, type TestWorkspace,
} from './helpers.js';

let t: TestServer;
before(async () => {
  t = await startServer({ server: { hoursCheckMs: 100 } });
});
after(() => t.close());

const hmac = (secret: string, id: string) => createHmac('sha256', secret).update(id).digest('hex');

async function widgetConfig(ws: TestWorkspace): Promise<WidgetConfig> {
  const response = await api<WidgetConfig>(t.url, '/api/v1/workspace/widget', { token: ws.admin.token });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}

async function patchWidget(ws: TestWorkspace, body: unknown) {
  return api(t.url, '/api/v1/workspace/widget', { token: ws.admin.token, method: 'PATCH', body });
}

/** A visitor that says something, then reconnects with its token (as a reload does). */
async function newVisitor(ws: TestWorkspace) {
  const socket = await connectVisitor(t.url, ws.workspace.widgetKey);
  const session = await request<VisitorSession>(socket, 'session.get');
  return { socket, session };
}

describe('widget settings and secret (admin REST)', () => {
  test('admins read the workspace secret and settings; agents and other workspaces cannot', async () => {
    const config = await widgetConfig(t.acme);
    assert.equal(config.widgetKey, t.acme.workspace.widgetKey);
    assert.match(config.secret, /^[\w-]{32,}$/);
    assert.equal(config.settings.requireVerifiedIdentity, false);
    assert.deepEqual((await widgetConfig(t.acme)).secret, config.secret, 'the secret is stable');
    assert.notEqual((await widgetConfig(t.globex)).secret, config.secret, 'one secret per workspace');
    const asAgent = await api(t.url, '/api/v1/workspace/widget', { token: t.acme.agent.token });
    assert.equal(asAgent.status, 403);
    assert.equal(asAgent.body.error.code, 'forbidden');
  });

  test('PATCH validates and changes only what it names', async () => {
    const bad = await patchWidget(t.globex, { timezone: 'Mars/Olympus' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /timezone/);
    assert.equal((await patchWidget(t.globex, { businessHours: [{ day: 1, open: '18:00', close: '09:00' }] })).status, 400);
    assert.equal((await patchWidget(t.globex, {})).status, 400);
    const ok = await patchWidget(t.globex, { hideWhenOffline: true, timezone: 'America/Mexico_City' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.settings.hideWhenOffline, true);
    assert.equal(ok.body.settings.timezone, 'America/Mexico_City');
    assert.equal(ok.body.settings.requireVerifiedIdentity, false);
  });

  test('rotating the secret makes hashes made with the old one fail', async () => {
    const before = await widgetConfig(t.globex);
    const rotated = await api(t.url, '/api/v1/workspace/widget/secret', { token: t.globex.admin.token, method: 'POST', body: {} });
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.secret, before.secret);
    const { socket } = await newVisitor(t.globex);
    const ack = await emitAck(socket, 'identify', { id: 'rot-1', hash: hmac(before.secret, 'rot-1') });
    assert.equal(ack.ok, false);
  });
});

describe('identify', () => {
  test('a valid hash links the visitor to the known contact, with their history, on every device', async () => {
    const { secret } = await widgetConfig(t.acme);
    // Monday: the customer, signed in on the site, writes from their laptop.
    const laptop = await newVisitor(t.acme);
    const first = await request<{ verified: boolean; linked: boolean; token?: string }>(laptop.socket, 'identify',
      { id: 'cust-42', name: 'Lucía Díaz', email: 'lucia@example.com', hash: hmac(secret, 'cust-42') });
    assert.equal(first.verified, true);
    assert.equal(first.linked, false, 'an unknown user keeps their new contact');
    assert.ok(first.token && first.token !== laptop.session.token, 'the proven session has a token of its own');
    // Sites identify on every page view: the same identity again changes and logs nothing.
    const seq = (await request<VisitorSession>(laptop.socket, 'session.get')).seq;
    await request(laptop.socket, 'identify', { id: 'cust-42', name: 'Lucía Díaz', email: 'lucia@example.com', hash: hmac(secret, 'cust-42') });
    assert.equal((await request<VisitorSession>(laptop.socket, 'session.get')).seq, seq);
    await request(laptop.socket, 'message.send', { clientId: clientId(), body: 'Hola, ¿tienen la talla M?' });
    const contactId = (await request<VisitorSession>(laptop.socket, 'session.get')).contactId;
    assert.equal((await request<VisitorSession>(laptop.socket, 'session.get')).verified, true);

    // Friday: from the phone, anonymous at first, they sign in and see the conversation.
    const phone = await newVisitor(t.acme);
    assert.notEqual(phone.session.contactId, contactId);
    const linked = await request<{ verified: boolean; linked: boolean; token: string }>(phone.socket, 'identify', { id: 'cust-42', hash: hmac(secret, 'cust-42') });
    assert.equal(linked.verified, true);
    assert.equal(linked.linked, true);
    // Reconnecting with the token identify answered (the client does it on its own), the phone now is the customer.
    const again = await connectVisitor(t.url, t.acme.workspace.widgetKey, linked.token);
    const session = await request<VisitorSession>(again, 'session.get');
    assert.equal(session.contactId, contactId);
    assert.equal(session.verified, true);
    const page = await request<{ messages: Message[] }>(again, 'messages.list', {});
    assert.deepEqual(page.messages.map((m) => m.body), ['Hola, ¿tienen la talla M?']);
    await request(again, 'message.send', { clientId: clientId(), body: 'Escribo desde el móvil' });
    assert.equal((await request<{ messages: Message[] }>(laptop.socket, 'messages.list', {})).messages.length, 2, 'one conversation');

    // On a tablet they write before signing in: that conversation becomes the customer's too.
    const tablet = await newVisitor(t.acme);
    const written = await request<Message>(tablet.socket, 'message.send', { clientId: clientId(), body: 'Antes de entrar' });
    const agent = await connectAgent(t.url, t.acme.agent.token);
    // …and an agent had already noted something and opened a task for that anonymous visitor.
    await request(agent, 'note.create', { contactId: tablet.session.contactId, body: 'Preguntó por envíos a Puebla' });
    const task = await request<{ id: string }>(agent, 'task.create', { title: 'Llamar al visitante', contactId: tablet.session.contactId });
    const events = recordEvents(agent);
    assert.equal((await request(tablet.socket, 'identify', { id: 'cust-42', hash: hmac(secret, 'cust-42') })).linked, true);
    const moved = await api(t.url, `/api/v1/conversations/${written.conversationId}`, { token: t.acme.agent.token });
    assert.equal(moved.body.contact.id, contactId);
    await eventually(() => events.some((e) => e.type === 'contact.deleted' && e.data.contactId === tablet.session.contactId));
    await eventually(() => events.some((e) => e.type === 'conversation.upserted' && e.data.conversation.id === written.conversationId &&
      e.data.contact.id === contactId));
    const contact = await api(t.url, `/api/v1/contacts/${contactId}`, { token: t.acme.agent.token });
    assert.equal(contact.body.name, 'Lucía Díaz');
    assert.ok(contact.body.identities.some((i: { handle: string; verified: boolean }) => i.handle === 'user:cust-42' && i.verified), "contact.body.identities.some((i: { handle: string; verified: boolean }) => i.handle === 'user:cus…");
    assert.equal((await api(t.url, `/api/v1/contacts/${tablet.session.contactId}`, { token: t.acme.agent.token })).status, 404);
    const profile = await request<{ notes: Array<{ body: string }> }>(agent, 'contact.profile', { contactId });
    assert.ok(profile.notes.some((n) => n.body === 'Preguntó por envíos a Puebla'), 'the note moved with the visitor');
    const tasks = await request<Array<{ id: string; contactId: string }>>(agent, 'tasks.list', { contactId });
    assert.ok(tasks.some((t) => t.id === task.id), 'so did the task');
    assert.equal((await api(t.url, `/api/v1/contacts/${phone.session.contactId}`, { token: t.acme.agent.token })).status, 404);
  });

  test("a site whose user ids are emails links by that email, whatever its case; an unsigned email never links", async () => {
    const { secret } = await widgetConfig(t.acme);
    const laptop = await newVisitor(t.acme);
    await request(laptop.socket, 'identify', { id: 'marta@shop.test', hash: hmac(secret, 'marta@shop.test') });
    await request(laptop.socket, 'message.send', { clientId: clientId(), body: 'Mi dirección es privada' });
    const marta = (await request<VisitorSession>(laptop.socket, 'session.get')).contactId;

    // Someone with a valid hash for their own id, claiming Marta's email beside it.
    const mallory = await newVisitor(t.acme);
    const claimed = await request<{ verified: boolean; linked: boolean; token: string }>(mallory.socket, 'identify',
      { id: 'mallory', email: 'marta@shop.test', hash: hmac(secret, 'mallory') });
    assert.equal(claimed.linked, false);
    const asMallory = await connectVisitor(t.url, t.acme.workspace.widgetKey, claimed.token);
    assert.deepEqual((await request(asMallory, 'messages.list', {})).messages, []);

    const phone = await newVisitor(t.acme);
    const result = await request<{ linked: boolean; token: string }>(phone.socket, 'identify', { id: 'MARTA@shop.test', hash: hmac(secret, 'MARTA@shop.test') });
    assert.equal(result.linked, true);
    const again = await connectVisitor(t.url, t.acme.workspace.widgetKey, result.token);
    assert.equal((await request<VisitorSession>(again, 'session.get')).contactId, marta);
    assert.deepEqual((await request<{ messages: Message[] }>(again, 'messages.list', {})).messages.map((m) => m.body), ['Mi dirección es privada']);
  });

  test('without a hash nothing links, and a wrong hash is refused', async () => {
    const { secret } = await widgetConfig(t.acme);
    const owner = await newVisitor(t.acme);
    await request(owner.socket, 'identify', { id: 'vip-7', name: 'Victoria', email: 'vic@example.com', hash: hmac(secret, 'vip-7') });
    await request(owner.socket, 'message.send', { clientId: clientId(), body: 'Mi pedido secreto #991' });

    const intruder = await newVisitor(t.acme);
    const unverified = await request(intruder.socket, 'identify', { id: 'vip-7', name: 'Not Victoria', email: 'vic@example.com' });
    assert.deepEqual(unverified, { verified: false, linked: false });
    const session = await request<VisitorSession>(intruder.socket, 'session.get');
    assert.equal(session.verified, false);
    assert.deepEqual((await request(intruder.socket, 'messages.list', {})).messages, [], 'none of the customer history');

    const wrong = await emitAck(intruder.socket, 'identify', { id: 'vip-7', hash: hmac('guessed-secret', 'vip-7') });
    assert.equal(wrong.ok, false);
    if (!wrong.ok) {
      assert.equal(wrong.error.code, 'forbidden');
      assert.match(wrong.error.message, /hash/);
    }
    const otherWorkspace = await newVisitor(t.globex);
    assert.equal((await emitAck(otherWorkspace.socket, 'identify', { id: 'vip-7', hash: hmac(secret, 'vip-7') })).ok, false,
      "another workspace's secret does not verify");
    // The typed email is a strong key: agents see one contact (the older, keeping its values), while
    // the intruder's session still sees only what it wrote itself.
    const victoria = await api(t.url, `/api/v1/contacts/${owner.session.contactId}`, { token: t.acme.agent.token });
    assert.equal(victoria.body.name, 'Victoria');
    const own = await api(t.url, `/api/v1/contacts/${intruder.session.contactId}`, { token: t.acme.agent.token });
    assert.equal(own.status, 404, 'merged into the contact that holds the email');
  });

  test('when the workspace requires verification, an id without a hash is refused', async () => {
    assert.equal((await patchWidget(t.acme, { requireVerifiedIdentity: true })).status, 200);
    try {
      const { secret } = await widgetConfig(t.acme);
      const visitor = await newVisitor(t.acme);
      const refused = await emitAck(visitor.socket, 'identify', { id: 'u-9', name: 'Ana' });
      assert.equal(refused.ok, false);
      if (!refused.ok) assert.equal(refused.error.code, 'forbidden');
      assert.equal((await request(visitor.socket, 'identify', { name: 'Ana' })).verified, false, 'details alone stay allowed');
      assert.equal((await request(visitor.socket, 'identify', { id: 'u-9', hash: hmac(secret, 'u-9') })).verified, true);
    } finally {
      await patchWidget(t.acme, { requireVerifiedIdentity: false });
    }
  });

  test("the visitor's other tabs are told to start over as the identified contact", async () => {
    const { secret } = await widgetConfig(t.acme);
    const known = await newVisitor(t.acme);
    await request(known.socket, 'identify', { id: 'tabs-1', hash: hmac(secret, 'tabs-1') });
    const tab1 = await newVisitor(t.acme);
    const tab2 = await connectVisitor(t.url, t.acme.workspace.widgetKey, tab1.session.token);
    let told = 0;
    tab2.on('session.changed', () => (told += 1));
    tab1.socket.on('session.changed', () => (told += 100));
    const { token } = await request<{ token: string }>(tab1.socket, 'identify', { id: 'tabs-1', hash: hmac(secret, 'tabs-1') });
    await eventually(() => told === 1);
    // The old tab's token no longer acts; with the token now in storage it is the identified contact.
    const stale = await emitAck(tab2, 'message.send', { clientId: clientId(), body: 'Con el token viejo' });
    assert.equal(stale.ok, false);
    if (!stale.ok) assert.equal(stale.error.code, 'unauthorized');
    const restarted = await connectVisitor(t.url, t.acme.workspace.widgetKey, token);
    await request(restarted, 'message.send', { clientId: clientId(), body: 'Desde la otra pestaña' });
    const page = await request<{ messages: Message[] }>(known.socket, 'messages.list', {});
    assert.ok(page.messages.some((m) => m.body === 'Desde la otra pestaña'), "page.messages.some((m) => m.body === 'Desde la otra pestaña')");
  });
});

describe('typing and availability', () => {
  test('typing is relayed both ways, to the room only, and never logged', async () => {
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const otherAgent = await connectAgent(t.url, t.acme.admin.token);
    const visitor = await newVisitor(t.acme);
    await request(visitor.socket, 'message.send', { clientId: clientId(), body: 'Pregunta' });
    const { conversation } = await request<VisitorSession>(visitor.socket, 'session.get');
    const seqBefore = (await request(agent, 'sync', { since: 0 })).seq;

    const agentHeard: TypingSignal[] = [];
    otherAgent.on('typing', (signal: TypingSignal) => agentHeard.push(signal));
    const visitorHeard: TypingSignal[] = [];
    visitor.socket.on('typing', (signal: TypingSignal) => visitorHeard.push(signal));
    const stranger = await newVisitor(t.acme);
    const strangerHeard: TypingSignal[] = [];
    stranger.socket.on('typing', (signal: TypingSignal) => strangerHeard.push(signal));
    const globex = await connectAgent(t.url, t.globex.agent.token);
    const globexHeard: TypingSignal[] = [];
    globex.on('typing', (signal: TypingSignal) => globexHeard.push(signal));

    await request(visitor.socket, 'typing', {});
    const [fromVisitor] = await eventually(() => agentHeard.length > 0 && agentHeard);
    assert.deepEqual({ ...fromVisitor, name: null }, { conversationId: conversation!.id, from: 'contact', id: visitor.session.contactId, name: null });

    await request(agent, 'typing', { conversationId: conversation!.id });
    const [fromAgent] = await eventually(() => visitorHeard.length > 0 && visitorHeard);
    assert.deepEqual(fromAgent, { conversationId: conversation!.id, from: 'agent', id: t.acme.agent.agent.id, name: 'Acme Agent' });
    await eventually(() => agentHeard.length === 2);
    await settle();
    assert.deepEqual(strangerHeard, [], 'other visitors hear nothing');
    assert.deepEqual(globexHeard, [], 'other workspaces hear nothing');
    assert.equal((await request(agent, 'sync', { since: 0 })).seq, seqBefore, 'nothing was logged');

    const viewer = await connectAgent(t.url, t.acme.viewer.token);
    assert.equal((await emitAck(viewer, 'typing', { conversationId: conversation!.id })).ok, false, 'viewers do not write');
    const foreign = await emitAck(globex, 'typing', { conversationId: conversation!.id });
    assert.equal(foreign.ok, false);
    if (!foreign.ok) assert.equal(foreign.error.code, 'not_found');
    globex.disconnect();
  });

  test("the visitor learns live who their conversation is assigned to, and nothing of others'", async () => {
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const visitor = await newVisitor(t.acme);
    await request(visitor.socket, 'message.send', { clientId: clientId(), body: '¿Quién me atiende?' });
    const { conversation } = await request<VisitorSession>(visitor.socket, 'session.get');
    const other = await newVisitor(t.acme);
    const heard: unknown[] = [];
    const otherHeard: unknown[] = [];
    visitor.socket.on('conversation', (c: unknown) => heard.push(c));
    other.socket.on('conversation', (c: unknown) => otherHeard.push(c));
    await request(agent, 'conversation.update', { conversationId: conversation!.id, assigneeId: t.acme.agent.agent.id });
    await eventually(() => heard.length > 0);
    assert.deepEqual(heard.at(-1), { id: conversation!.id, status: 'open', assigneeId: t.acme.agent.agent.id });
    await settle();
    assert.deepEqual(otherHeard, []);
  });

  test('visitors learn when agents come online and when the last one leaves', async () => {
    const visitor = await newVisitor(t.globex);
    assert.equal(visitor.session.availability.agentsOnline, false);
    const heard: WidgetAvailability[] = [];
    visitor.socket.on('availability', (a: WidgetAvailability) => heard.push(a));
    const agent = await connectAgent(t.url, t.globex.agent.token);
    await eventually(() => heard.at(-1)?.agentsOnline === true);
    assert.equal((await request<VisitorSession>(visitor.socket, 'session.get')).availability.agentsOnline, true);
    agent.disconnect();
    await eventually(() => heard.at(-1)?.agentsOnline === false);
  });

  test('the public availability endpoint answers for a widget key, without credentials', async () => {
    const before = await api(t.url, `/widget/availability/${t.globex.workspace.widgetKey}`);
    assert.equal(before.status, 200);
    assert.deepEqual(before.body, { agentsOnline: false, withinHours: true });
    assert.equal(before.headers.get('access-control-allow-origin'), '*');
    const agent = await connectAgent(t.url, t.globex.agent.token);
    assert.equal((await api(t.url, `/widget/availability/${t.globex.workspace.widgetKey}`)).body.agentsOnline, true);
    agent.disconnect();
    const unknown = await api(t.url, '/widget/availability/no-such-key');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'not_found');
  });

  test('business hours in the workspace time zone make the widget away', async () => {
    const now = new Date();
    const day = now.getUTCDay();
    const closedToday = await patchWidget(t.globex, {
      timezone: 'UTC',
      businessHours: [{ day: (day + 3) % 7, open: '09:00', close: '17:00' }],
    });
    assert.equal(closedToday.status, 200);
    assert.equal((await newVisitor(t.globex)).session.availability.withinHours, false);
    await patchWidget(t.globex, { businessHours: [{ day, open: '00:00', close: '23:59' }, { day: (day + 1) % 7, open: '00:00', close: '23:59' }] });
    // Just before midnight UTC the first period may have ended: the second covers the next day.
    assert.equal((await newVisitor(t.globex)).session.availability.withinHours, true);
    await patchWidget(t.globex, { businessHours: null });
  });

  test('a visitor already on the page hears when business hours close (or the hours change)', async () => {
    const visitor = await newVisitor(t.globex);
    assert.equal(visitor.session.availability.withinHours, true);
    const heard: WidgetAvailability[] = [];
    visitor.socket.on('availability', (a: WidgetAvailability) => heard.push(a));
    await settle(300);
    const day = new Date().getUTCDay();
    await patchWidget(t.globex, { timezone: 'UTC', businessHours: [{ day: (day + 3) % 7, open: '09:00', close: '17:00' }] });
    await eventually(() => heard.at(-1)?.withinHours === false, 3000, 'the away state pushed');
    await patchWidget(t.globex, { businessHours: null });
    await eventually(() => heard.at(-1)?.withinHours === true, 3000, 'open again');
  });
});

describe('pre-chat form', () => {
  test('the server enforces the workspace form: required fields, and no field it does not ask', async () => {
    await patchWidget(t.globex, { preChat: { name: 'required', email: 'optional', phone: 'off' } });
    const visitor = await newVisitor(t.globex);
    assert.deepEqual(visitor.session.availability.preChat, { name: 'required', email: 'optional', phone: 'off' });
    const missing = await emitAck(visitor.socket, 'prechat.submit', { email: 'a@b.co' });
    assert.equal(missing.ok, false);
    if (!missing.ok) assert.match(missing.error.message, /name: Required/);
    const extra = await emitAck(visitor.socket, 'prechat.submit', { name: 'Ana', phone: '+52 55 1234 5678' });
    assert.equal(extra.ok, false);
    if (!extra.ok) assert.match(extra.error.message, /phone/);
    await request(visitor.socket, 'prechat.submit', { name: 'Ana Ruiz', email: 'ana@ruiz.mx' });
    const contact = await api(t.url, `/api/v1/contacts/${visitor.session.contactId}`, { token: t.globex.agent.token });
    assert.equal(contact.body.name, 'Ana Ruiz');
    assert.equal(contact.body.email, 'ana@ruiz.mx');
    await patchWidget(t.globex, { preChat: { name: 'off', email: 'off', phone: 'off' } });
  });
});
