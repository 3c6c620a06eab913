import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { VisitorSession } from '@charla/protocol';
import { api, connectVisitor, request, startServer, type TestServer } from './helpers.js';

let t: TestServer;
before(async () => {
  t = await startServer();
});
after(() => t.close());

const patch = (token: string, body: unknown) => api(t.url, '/api/v1/workspace/widget', { token, method: 'PATCH', body });
async function visitorSession(widgetKey: string): Promise<VisitorSession> {
  const socket = await connectVisitor(t.url, widgetKey);
  try {
    return await request<VisitorSession>(socket, 'session.get');
  } finally {
    socket.close();
  }
}

describe('the widget\'s color and greeting (admins)', () => {
  test('an admin sets them; new visitors get them; null goes back to the defaults', async () => {
    const before = await visitorSession(t.acme.workspace.widgetKey);
    assert.equal(before.availability.color, null);
    assert.equal(before.availability.greeting, null);

    const saved = await patch(t.acme.admin.token, { color: '#0B5CAD', greeting: '  ¡Hola! Te respondemos en minutos.  ' });
    assert.equal(saved.status, 200);
    assert.equal(saved.body.settings.color, '#0B5CAD');
    assert.equal(saved.body.settings.greeting, '¡Hola! Te respondemos en minutos.');
    const session = await visitorSession(t.acme.workspace.widgetKey);
    assert.equal(session.availability.color, '#0B5CAD');
    assert.equal(session.availability.greeting, '¡Hola! Te respondemos en minutos.');
    // Another workspace's visitors are not affected.
    assert.equal((await visitorSession(t.globex.workspace.widgetKey)).availability.color, null);

    await patch(t.acme.admin.token, { color: null, greeting: null });
    assert.equal((await visitorSession(t.acme.workspace.widgetKey)).availability.color, null);
  });

  test('bad values are refused with the field named, and change nothing', async () => {
    await patch(t.acme.admin.token, { color: '#112233' });
    for (const body of [{ color: 'blue' }, { color: '#12345' }, { greeting: '' }, { greeting: 'x'.repeat(501) }]) {
      const refused = await patch(t.acme.admin.token, body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.match(refused.body.error.message, new RegExp(Object.keys(body)[0]!));
    }
    assert.equal((await patch(t.acme.agent.token, { color: '#000000' })).status, 403);
    assert.equal((await visitorSession(t.acme.workspace.widgetKey)).availability.color, '#112233');
  });
});
