import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { api, clientId, connectAgent, eventually, openDatabase, request, settle, startServer, visitorWrites, type TestServer } from './helpers.js';
import { startWebhookReceiver, verifySignature, type WebhookReceiver } from '../support/webhook-receiver.js';

// Outbound webhooks: a host's systems hear about messages, conversations, contacts, deals and tasks
// as they happen, signed, retried on failure, in order per conversation, and never lost to a restart.

/** Fast retries (a 24-hour schedule shrunk to milliseconds) and a short receiver timeout. */
const FAST = { allowPrivate: true, timeoutMs: 300, retryBaseMs: 40, retryMaxMs: 120 };

let t: TestServer;
let receiver: WebhookReceiver;

const asAdmin = <T = any>(path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
  api<T>(t.url, `/api/v1${path}`, { token: init.token ?? t.acme.admin.token, method: init.method ?? 'GET', ...(init.body !== undefined ? { body: init.body } : {}) });

async function subscribe(url: string, events: string[], target: TestServer = t) {
  const created = await api(target.url, '/api/v1/webhooks', { token: target.acme.admin.token, method: 'POST', body: { url, events } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.webhook as { id: string; secret: string; url: string; events: string[]; status: string };
}

before(async () => {
  t = await startServer({ server: { webhooks: FAST } });
  receiver = await startWebhookReceiver();
});
after(async () => {
  await t.close();
  await receiver.close();
});

describe('subscriptions', () => {
  test('an admin subscribes a URL: the secret is answered once, then the subscription is listed without it', async () => {
    const created = await asAdmin('/webhooks', { method: 'POST', body: { url: 'http://127.0.0.1:9/hooks', events: ['deal.won', 'task.*'] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { webhook } = created.body;
    assert.match(webhook.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(webhook.events, ['deal.won', 'task.*']);
    assert.equal(webhook.status, 'active');
    const db = await openDatabase(t.dbPath);
    const stored = await db.get<{ secret: string }>('SELECT secret FROM webhooks WHERE id = ?', [webhook.id]);
    await db.close();
    assert.match(stored!.secret, /^charla:v1:/, 'the secret is stored sealed');
    assert.ok(!stored!.secret.includes(webhook.secret), 'never in clear');
    const listed = await asAdmin('/webhooks');
    assert.deepEqual(listed.body.webhooks.map((w: { id: string }) => w.id), [webhook.id]);
    assert.ok(!JSON.stringify(listed.body).includes(webhook.secret), 'the secret is never listed');
    const patched = await asAdmin(`/webhooks/${webhook.id}`, { method: 'PATCH', body: { events: ['deal.*'], description: 'ERP' } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(patched.body.webhook.events, ['deal.*']);
    assert.equal(patched.body.webhook.secret, undefined);
    const rotated = await asAdmin(`/webhooks/${webhook.id}`, { method: 'PATCH', body: { rotateSecret: true } });
    assert.notEqual(rotated.body.webhook.secret, webhook.secret, 'a rotation answers the new secret');
    assert.equal((await asAdmin(`/webhooks/${webhook.id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await asAdmin(`/webhooks/${webhook.id}`)).status, 404);
  });

  test('agents, viewers and other workspaces cannot see or change subscriptions', async () => {
    const webhook = await subscribe('http://127.0.0.1:9/private', ['contact.created']);
    for (const member of [t.acme.agent, t.acme.viewer]) {
      assert.equal((await asAdmin('/webhooks', { token: member.token })).status, 403);
      assert.equal((await asAdmin('/webhooks', { token: member.token, method: 'POST', body: { url: receiver.url, events: ['*'] } })).status, 403);
      assert.equal((await asAdmin(`/webhooks/${webhook.id}/deliveries`, { token: member.token })).status, 403);
    }
    const globex = t.globex.admin.token;
    assert.deepEqual((await asAdmin('/webhooks', { token: globex })).body.webhooks, []);
    assert.equal((await asAdmin(`/webhooks/${webhook.id}`, { token: globex, method: 'PATCH', body: { status: 'paused' } })).status, 404);
    assert.equal((await asAdmin(`/webhooks/${webhook.id}`, { token: globex, method: 'DELETE' })).status, 404);
    assert.equal((await asAdmin(`/webhooks/${webhook.id}/deliveries`, { token: globex })).status, 404);
    assert.equal((await asAdmin(`/webhooks/${webhook.id}`)).body.webhook.status, 'active', 'unchanged');
    await asAdmin(`/webhooks/${webhook.id}`, { method: 'DELETE' });
  });

  test('bad input is a clear 400 and creates nothing; a body over the limit is refused', async () => {
    const before = (await asAdmin('/webhooks')).body.webhooks.length;
    const cases: Array<[unknown, RegExp]> = [
      [{ url: 'ftp://example.com/hook', events: ['*'] }, /only http and https/],
      [{ url: 'file:///etc/passwd', events: ['*'] }, /only http and https/],
      [{ url: 'not a url', events: ['*'] }, /not a valid URL/],
      [{ url: 'https://user:pw@example.com/', events: ['*'] }, /no user or password/],
      [{ url: 'https://example.com/', events: [] }, /at least one event/],
      [{ url: 'https://example.com/', events: ['deal.exploded'] }, /not an event type/],
      [{ url: 'https://example.com/' }, /events/],
      [{ url: 'https://example.com/', events: ['*'], secret: 'mine' }, /secret/],
      [{ url: `https://example.com/${'a'.repeat(2100)}`, events: ['*'] }, /at most 2048/],
    ];
    for (const [body, message] of cases) {
      const answer = await asAdmin('/webhooks', { method: 'POST', body });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error.code, 'invalid_payload');
      assert.match(answer.body.error.message, message);
    }
    const huge = await asAdmin('/webhooks', { method: 'POST', body: { url: 'https://example.com/', events: ['*'], description: 'x'.repeat(100_000) } });
    assert.equal(huge.status, 413);
    assert.match(huge.body.error.message, /larger than the limit/);
    assert.equal((await asAdmin('/webhooks')).body.webhooks.length, before);
  });

  test('without CHARLA_WEBHOOKS_ALLOW_PRIVATE, loopback and private targets are refused (SSRF)', async () => {
    const strict = await startServer({ server: { webhooks: { ...FAST, allowPrivate: false } } });
    try {
      for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://10.1.2.3/hook', 'http://192.168.0.10/', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/hook', 'http://[fd00::1]/']) {
        const answer = await api(strict.url, '/api/v1/webhooks', { token: strict.acme.admin.token, method: 'POST', body: { url, events: ['*'] } });
        assert.equal(answer.status, 400, url);
        assert.match(answer.body.error.message, /loopback, private or reserved/, url);
      }
      assert.deepEqual((await api(strict.url, '/api/v1/webhooks', { token: strict.acme.admin.token })).body.webhooks, []);
    } finally {
      await strict.close();
    }
  });
});

describe('deliveries', () => {
  let webhook: { id: string; secret: string };

  before(async () => {
    webhook = await subscribe(receiver.url, ['message.created', 'conversation.created', 'conversation.status_changed', 'contact.*', 'deal.*', 'task.*']);
    receiver.secret = webhook.secret;
  });

  test('a new message is posted signed, with its delivery id, and verifies against the secret', async () => {
    const { conversationId } = await visitorWrites(t, t.acme, 'Hola, ¿tienen envío a Oaxaca?');
    const taken = await eventually(() => receiver.accepted.find((d) => d.type === 'message.created' && d.data.message.conversationId === conversationId), 3000, 'the message webhook');
    const request = receiver.requests.find((r) => r.body.id === taken.id)!;
    assert.ok(request.signatureValid, 'HMAC-SHA256(secret, t.body) matches');
    assert.equal(request.headers['x-charla-delivery'], taken.id);
    assert.equal(request.headers['x-charla-event'], 'message.created');
    assert.equal(request.headers['content-type'], 'application/json');
    const t0 = Number(/^t=(\d+),/.exec(String(request.headers['x-charla-signature']))![1]);
    assert.ok(Math.abs(t0 - Date.now() / 1000) < 60, 'the signature is timestamped now');
    assert.ok(!verifySignature(String(request.headers['x-charla-signature']), 'whsec_wrong', request.raw), 'another secret does not verify');
    assert.ok(!verifySignature(String(request.headers['x-charla-signature']), webhook.secret, request.raw.replace('Oaxaca', 'Puebla')), 'a changed body does not verify');
    assert.deepEqual(Object.keys(taken).sort(), ['createdAt', 'data', 'id', 'type', 'workspaceId']);
    assert.equal(taken.workspaceId, t.acme.workspace.id);
    assert.equal(taken.data.message.body, 'Hola, ¿tienen envío a Oaxaca?');
    const contact = await eventually(() => receiver.accepted.find((d) => d.type === 'contact.created' && d.data.contact.id === taken.data.message.senderId), 3000, 'contact.created');
    assert.equal(contact.data.contact.identities[0].channel, 'webchat', 'the new visitor is a new contact');
    const conversation = await eventually(() => receiver.accepted.find((d) => d.type === 'conversation.created' && d.data.conversation.id === conversationId), 3000, 'conversation.created');
    assert.equal(conversation.data.contact.id, contact.data.contact.id);
  });

  test('a 500 and then a timeout are retried until the receiver takes it; the attempts are listed', async () => {
    receiver.byType.set('conversation.status_changed', [500, 'hang']);
    const { conversationId } = await visitorWrites(t, t.acme, 'Ya llegó, gracias');
    const resolved = await asAdmin(`/conversations/${conversationId}`, { method: 'PATCH', body: { status: 'resolved' }, token: t.acme.agent.token });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
    const taken = await eventually(() => receiver.accepted.find((d) => d.type === 'conversation.status_changed' && d.data.conversation.id === conversationId), 5000, 'the status webhook');
    assert.equal(taken.data.previousStatus, 'open');
    assert.equal(taken.data.conversation.status, 'resolved');
    const sent = receiver.requests.filter((r) => r.body.id === taken.id);
    assert.deepEqual(sent.map((r) => r.answered), [500, null, 200], 'three attempts: 500, no answer, 200');
    assert.ok(sent.every((r) => r.signatureValid), 'each attempt is signed afresh');
    const listed = await asAdmin(`/webhooks/${webhook.id}/deliveries?limit=200`);
    const delivery = listed.body.deliveries.find((d: { id: string }) => d.id === taken.id);
    assert.equal(delivery.state, 'delivered');
    assert.deepEqual(delivery.attempts.map((a: { status: number | null }) => a.status), [500, null, 200]);
    assert.match(delivery.attempts[1].error, /No answer within 300 ms/);
    assert.equal(delivery.payload.type, 'conversation.status_changed');
  });

  test('deliveries of one conversation arrive in order even when the first one is retried', async () => {
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const { conversationId } = await visitorWrites(t, t.acme, 'Pedido 1');
    await eventually(() => receiver.accepted.some((d) => d.type === 'message.created' && d.data.message.body === 'Pedido 1'), 3000, 'the first message');
    receiver.byType.set('message.created', [503, 503]);
    for (const body of ['Uno', 'Dos', 'Tres']) await request(agent, 'message.send', { conversationId, clientId: clientId(), body });
    const bodies = () => receiver.accepted.filter((d) => d.type === 'message.created' && d.data.message.conversationId === conversationId).map((d) => d.data.message.body);
    await eventually(() => bodies().length === 4, 5000, 'every message');
    assert.deepEqual(bodies(), ['Pedido 1', 'Uno', 'Dos', 'Tres']);
    const attemptsOfFirst = receiver.requests.filter((r) => r.body.data.message?.body === 'Uno').map((r) => r.answered);
    assert.deepEqual(attemptsOfFirst, [503, 503, 200]);
    agent.disconnect();
  });

  test('contacts, deals and tasks: created, updated, won and completed reach the receiver', async () => {
    const { contactId } = await visitorWrites(t, t.acme, 'Quiero 30 tazas');
    const admin = t.acme.admin.token;
    assert.equal((await api(t.url, `/api/v1/contacts/${contactId}`, { token: admin, method: 'PATCH', body: { name: 'Lucía Méndez' } })).status, 200);
    const pipeline = await api(t.url, '/api/v1/pipelines', { token: admin, method: 'POST', body: { name: 'Tazas', stages: [{ name: 'Nuevo', probability: 10 }] } });
    const won = pipeline.body.stages.find((s: { kind: string }) => s.kind === 'won').id;
    const deal = await api(t.url, '/api/v1/deals', { token: admin, method: 'POST', body: { pipelineId: pipeline.body.id, title: '30 tazas', amount: 900, currency: 'MXN', contactId } });
    assert.equal(deal.status, 201, JSON.stringify(deal.body));
    assert.equal((await api(t.url, `/api/v1/deals/${deal.body.id}`, { token: admin, method: 'PATCH', body: { stageId: won } })).status, 200);
    const task = await api(t.url, '/api/v1/tasks', { token: admin, method: 'POST', body: { title: 'Enviar factura', contactId } });
    assert.equal(task.status, 201, JSON.stringify(task.body));
    assert.equal((await api(t.url, `/api/v1/tasks/${task.body.id}`, { token: admin, method: 'PATCH', body: { done: true } })).status, 200);
    const of = (type: string, match: (d: any) => boolean) => receiver.accepted.filter((d) => d.type === type && match(d.data));
    // Each lane (this contact, this deal, this task) is in order; lanes run side by side.
    await eventually(() => of('task.completed', (d) => d.task.id === task.body.id).length === 1, 3000, 'the task completed');
    await eventually(() => of('deal.won', (d) => d.deal.id === deal.body.id && d.deal.status === 'won').length === 1, 3000, 'the deal won');
    await eventually(() => of('contact.updated', (d) => d.contact.id === contactId && d.contact.name === 'Lucía Méndez').length === 1, 3000, 'the contact updated');
    await settle(200);
    assert.equal(of('deal.created', (d) => d.deal.id === deal.body.id).length, 1);
    assert.equal(of('task.created', (d) => d.task.id === task.body.id).length, 1);
    assert.equal(of('deal.stage_changed', (d) => d.deal.id === deal.body.id).length, 0, 'a win is deal.won, not also a stage change');
    const taskEvents = receiver.accepted.filter((d) => d.type.startsWith('task.') && d.data.task.id === task.body.id).map((d) => d.type);
    assert.deepEqual(taskEvents, ['task.created', 'task.completed'], 'in order');
  });

  test('a 4xx answer is not retried; redelivering sends the same delivery again, with a fresh signature', async () => {
    receiver.byType.set('task.created', [410]);
    const task = await api(t.url, '/api/v1/tasks', { token: t.acme.admin.token, method: 'POST', body: { title: 'Llamar a proveedor' } });
    const refused = await eventually(() => receiver.requests.find((r) => r.body.type === 'task.created' && r.body.data.task.id === task.body.id), 3000, 'the task webhook');
    const delivery = await eventually(async () => {
      const listed = await asAdmin(`/webhooks/${webhook.id}/deliveries?state=failed`);
      return listed.body.deliveries.find((d: { id: string }) => d.id === refused.body.id);
    }, 3000, 'the failed delivery');
    assert.deepEqual(delivery.attempts.map((a: { status: number }) => a.status), [410]);
    await settle(300);
    assert.equal(receiver.requests.filter((r) => r.body.id === refused.body.id).length, 1, 'never retried');
    const again = await asAdmin(`/webhooks/${webhook.id}/deliveries/${refused.body.id}/redeliver`, { method: 'POST' });
    assert.equal(again.status, 202, JSON.stringify(again.body));
    await eventually(() => receiver.accepted.some((d) => d.id === refused.body.id), 3000, 'the redelivery');
    const listed = await asAdmin(`/webhooks/${webhook.id}/deliveries`);
    const redelivered = listed.body.deliveries.find((d: { id: string }) => d.id === refused.body.id);
    assert.equal(redelivered.state, 'delivered');
    assert.deepEqual(redelivered.attempts.map((a: { status: number }) => a.status), [410, 200]);
    assert.equal((await asAdmin(`/webhooks/${webhook.id}/deliveries/whd_nope/redeliver`, { method: 'POST' })).status, 404);
    assert.equal((await asAdmin(`/webhooks/${webhook.id}/deliveries/${refused.body.id}/redeliver`, { method: 'POST', token: t.globex.admin.token })).status, 404);
    assert.equal((await asAdmin(`/webhooks/${webhook.id}/deliveries?state=bogus`)).status, 400);
  });
});

describe('retention', () => {
  test('finished deliveries are forgotten after the keeping period; waiting ones stay', async () => {
    const before = await asAdmin('/webhooks');
    const id = before.body.webhooks.find((w: { url: string }) => w.url === receiver.url).id;
    assert.ok((await asAdmin(`/webhooks/${id}/deliveries?state=delivered`)).body.deliveries.length > 0, 'some were delivered');
    assert.equal(await t.server.webhooks.prune(Date.now()), 0, 'none is older than 30 days');
    const pruned = await t.server.webhooks.prune(Date.now() + 31 * 24 * 3600_000);
    assert.ok(pruned > 0, `pruned ${pruned}`);
    assert.deepEqual((await asAdmin(`/webhooks/${id}/deliveries`)).body.deliveries, []);
  });
});

describe('durability and pause', () => {
  test('a delivery waiting for its retry survives a restart and is taken exactly once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'charla-webhooks-'));
    const dbPath = join(dir, 'charla.db');
    const hooks = await startWebhookReceiver();
    const slowRetry = { ...FAST, retryBaseMs: 1500, retryMaxMs: 1500 };
    let first: TestServer | null = await startServer({ dir, dbPath, server: { webhooks: slowRetry } });
    try {
      const webhook = await subscribe(hooks.url, ['message.created'], first);
      hooks.secret = webhook.secret;
      hooks.queue.push(500);
      await visitorWrites(first, first.acme, 'Antes del reinicio');
      await eventually(() => hooks.requests.length === 1, 3000, 'the first attempt');
      await first.close();
      first = null;
      const second = await startServer({ dir, dbPath, server: { webhooks: slowRetry } });
      try {
        await eventually(() => hooks.accepted.length === 1, 8000, 'the retry after the restart');
        await settle(300);
        assert.equal(hooks.accepted[0]!.data.message.body, 'Antes del reinicio');
        assert.deepEqual(hooks.requests.map((r) => r.answered), [500, 200], 'one failed attempt, one taken, nothing more');
        assert.equal(hooks.duplicates, 0);
      } finally {
        await second.close();
      }
    } finally {
      await first?.close();
      await hooks.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a subscription failing past the pause window is paused, admins are notified, and resuming sends what it kept in order', async () => {
    const failing = await startServer({ server: { webhooks: { ...FAST, pauseAfterMs: 400 } } });
    const hooks = await startWebhookReceiver();
    try {
      const webhook = await subscribe(hooks.url, ['message.created'], failing);
      hooks.secret = webhook.secret;
      hooks.fallback = 500;
      const admin = await connectAgent(failing.url, failing.acme.admin.token);
      const agent = await connectAgent(failing.url, failing.acme.agent.token);
      const { conversationId } = await visitorWrites(failing, failing.acme, 'Primero');
      await request(agent, 'message.send', { conversationId, clientId: clientId(), body: 'Segundo' });
      const paused = await eventually(async () => {
        const current = await api(failing.url, `/api/v1/webhooks/${webhook.id}`, { token: failing.acme.admin.token });
        return current.body.webhook.status === 'paused' && current.body.webhook;
      }, 5000, 'the pause');
      assert.ok(paused.pausedAt, 'pausedAt');
      const notifications = await request(admin, 'notifications.list', {});
      const notice = notifications.notifications.find((n: { kind: string }) => n.kind === 'webhook_paused');
      assert.ok(notice, 'the admin is notified');
      assert.equal(notice.conversationId, null);
      assert.match(notice.preview, new RegExp(hooks.url.replace(/[.:/]/g, '\\$&')));
      const agentNotices = await request(agent, 'notifications.list', {});
      assert.ok(!agentNotices.notifications.some((n: { kind: string }) => n.kind === 'webhook_paused'), 'agents are not');
      const kept = await api(failing.url, `/api/v1/webhooks/${webhook.id}/deliveries?state=paused`, { token: failing.acme.admin.token });
      assert.equal(kept.body.deliveries.length, 2, JSON.stringify(kept.body));
      const tried = hooks.requests.length;
      await request(agent, 'message.send', { conversationId, clientId: clientId(), body: 'Durante la pausa' });
      await settle(300);
      assert.equal(hooks.requests.length, tried, 'a paused subscription is sent nothing');
      hooks.fallback = 200;
      const resumed = await api(failing.url, `/api/v1/webhooks/${webhook.id}`, { token: failing.acme.admin.token, method: 'PATCH', body: { status: 'active' } });
      assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
      assert.equal(resumed.body.webhook.failingSince, null);
      await eventually(() => hooks.accepted.length === 2, 3000, 'the kept deliveries');
      assert.deepEqual(hooks.accepted.map((d) => d.data.message.body), ['Primero', 'Segundo']);
      admin.disconnect();
      agent.disconnect();
    } finally {
      await failing.close();
      await hooks.close();
    }
  });
});
