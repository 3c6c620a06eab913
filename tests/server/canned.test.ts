import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CannedResponse, ChangeEvent } from '@charla/protocol';
import { api, connectAgent, eventually, recordEvents, request, startServer, type TestServer } from './helpers.js';

let t: TestServer;
before(async () => {
  t = await startServer();
});
after(() => t.close());

describe('canned responses', () => {
  test('admins create, edit and delete them; every agent lists them and hears about changes live', async () => {
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const events = recordEvents(agent);
    const created = await api<CannedResponse>(t.url, '/api/v1/canned-responses', {
      token: t.acme.admin.token, method: 'POST',
      body: { shortcut: 'Envio', title: 'Envío', body: 'Enviamos en 48 horas.' },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.shortcut, 'envio', 'shortcuts are lowercase');
    const listed: CannedResponse[] = await request(agent, 'canned.list', {});
    assert.deepEqual(listed.map((r) => [r.shortcut, r.body]), [['envio', 'Enviamos en 48 horas.']]);
    await eventually(() => events.find((e: ChangeEvent) => e.type === 'canned.changed' && e.data.response?.id === created.body.id));

    const edited = await api<CannedResponse>(t.url, `/api/v1/canned-responses/${created.body.id}`, {
      token: t.acme.admin.token, method: 'PATCH', body: { body: 'Enviamos en 24 horas.' },
    });
    assert.equal(edited.body.body, 'Enviamos en 24 horas.');
    const removed = await api(t.url, `/api/v1/canned-responses/${created.body.id}`, { token: t.acme.admin.token, method: 'DELETE' });
    assert.equal(removed.status, 204);
    await eventually(() => events.find((e: ChangeEvent) => e.type === 'canned.changed' && e.data.deletedId === created.body.id));
    assert.deepEqual(await request(agent, 'canned.list', {}), []);
    agent.disconnect();
  });

  test('refuses bad input, duplicate shortcuts, non-admins and other workspaces', async () => {
    const post = (token: string, body: unknown) => api(t.url, '/api/v1/canned-responses', { token, method: 'POST', body });
    const ok = await post(t.acme.admin.token, { shortcut: 'pago', title: 'Pago', body: 'Aceptamos tarjeta.' });
    assert.equal(ok.status, 201);
    const duplicate = await post(t.acme.admin.token, { shortcut: 'PAGO', title: 'Otro', body: 'x' });
    assert.equal(duplicate.status, 409);
    assert.match(duplicate.body.error.message, /\/pago is already used/);
    for (const [body, field] of [
      [{ shortcut: 'con espacio', title: 'x', body: 'x' }, /shortcut/],
      [{ shortcut: 'x', title: '', body: 'x' }, /title/],
      [{ shortcut: 'x', title: 'x', body: '   ' }, /body/],
      [{ shortcut: 'x', title: 'x', body: 'x'.repeat(4097) }, /body/],
      [{ shortcut: 'x', title: 'x', body: 'x', extra: 1 }, /extra|Unrecognized/],
    ] as const) {
      const response = await post(t.acme.admin.token, body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(response.body.error.code, 'invalid_payload');
      assert.match(response.body.error.message, field);
    }
    assert.equal((await post(t.acme.agent.token, { shortcut: 'y', title: 'y', body: 'y' })).status, 403);
    const foreign = await api(t.url, `/api/v1/canned-responses/${ok.body.id}`, { token: t.globex.admin.token, method: 'PATCH', body: { title: 'Mío' } });
    assert.equal(foreign.status, 404);
    const theirs = await api<CannedResponse[]>(t.url, '/api/v1/canned-responses', { token: t.globex.admin.token });
    assert.deepEqual(theirs.body, []);
  });
});
