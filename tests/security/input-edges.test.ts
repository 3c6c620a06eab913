import assert from 'node:assert/strict';
import { format } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { imageSource } from '@charla/protocol/urls';
import { consoleLogger } from '../../server/src/logger.js';
import { api, startServer, type TestServer } from '../server/helpers.js';
import { postWebhook, startChannelTest, waText, type ChannelTest } from '../support/channels.js';

describe('input edges over HTTP', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
  });
  after(() => t.close());

  test('a path segment that is not valid percent-encoding answers 400 in the error shape, not 500', async () => {
    const token = t.acme.admin.token;
    for (const path of ['/api/v1/deals/%ff', '/api/v1/media/%ff%fe', '/api/v1/contacts/%E0%A4%A']) {
      const response = await api(t.url, path, { token, method: 'GET' });
      assert.equal(response.status, 400, path);
      assert.equal(response.body.error.code, 'invalid_payload', path);
      assert.match(response.body.error.message, /percent-encoding/, path);
    }
    const patch = await api(t.url, '/api/v1/deals/%ff', { token, method: 'PATCH', body: { title: 'x' } });
    assert.equal(patch.status, 400);
  });

  test('currencies are ISO 4217 codes, not any three letters', async () => {
    const pipeline = await api(t.url, '/api/v1/pipelines', {
      token: t.acme.admin.token, method: 'POST', body: { name: 'Sales', stages: [{ name: 'New', probability: 10 }, { name: 'Won', probability: 100 }] },
    });
    const pipelines = [pipeline.body];
    for (const currency of ['ZZZ', 'ABC']) {
      const refused = await api(t.url, '/api/v1/deals', {
        token: t.acme.agent.token, method: 'POST', body: { pipelineId: pipelines[0].id, title: 'Order', amount: 10, currency },
      });
      assert.equal(refused.status, 400, currency);
      assert.match(refused.body.error.message, /currency/);
    }
    const accepted = await api(t.url, '/api/v1/deals', {
      token: t.acme.agent.token, method: 'POST', body: { pipelineId: pipelines[0].id, title: 'Order', amount: 10, currency: 'mxn' },
    });
    assert.equal(accepted.status, 201);
    assert.equal(accepted.body.currency, 'MXN');
  });

  test('a contact avatar is an https URL: javascript: and data: URLs are refused and nothing changes', async () => {
    const imported = await api(t.url, '/api/v1/contacts/import', {
      token: t.acme.admin.token, method: 'POST', body: 'name,email\nAvatar Person,avatar@people.test\n', headers: { 'content-type': 'text/csv' },
    });
    const contactId = imported.body.rows[0].contactId as string;
    for (const avatarUrl of ['javascript:alert(document.domain)', 'data:text/html,<script>alert(1)</script>', 'http://cdn.example.com/a.png']) {
      const refused = await api(t.url, `/api/v1/contacts/${contactId}`, { token: t.acme.agent.token, method: 'PATCH', body: { avatarUrl } });
      assert.equal(refused.status, 400, avatarUrl);
    }
    assert.equal((await api(t.url, `/api/v1/contacts/${contactId}`, { token: t.acme.agent.token })).body.avatarUrl, null);
    const saved = await api(t.url, `/api/v1/contacts/${contactId}`, { token: t.acme.agent.token, method: 'PATCH', body: { avatarUrl: 'https://cdn.example.com/a.png' } });
    assert.equal(saved.body.avatarUrl, 'https://cdn.example.com/a.png');
  });
});

test('images load only from https, blob: and the server\'s own paths', () => {
  for (const url of ['https://cdn.example.com/a.png', 'blob:https://app.example.com/3f1c', '/api/v1/media/msg_1']) assert.equal(imageSource(url), url);
  for (const url of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,<b>x</b>', 'data:image/svg+xml,<svg onload=alert(1)>', 'http://cdn.example.com/a.png', '//evil.example/a.png', '/\\evil.example/a.png', 'vbscript:x', '', null, undefined, 42]) {
    assert.equal(imageSource(url), undefined, String(url));
  }
});

describe('webhook edges', () => {
  let channels: ChannelTest;
  before(async () => {
    channels = await startChannelTest();
  });
  after(() => channels.close());

  test('a webhook body over the limit answers JSON 413 without a stack trace or file paths', async () => {
    const text = 'x'.repeat(6 * 1024 * 1024);
    const response = await postWebhook(channels.test.url, 'whatsapp', null, { raw: JSON.stringify(waText('5215512340002', 'Big', text)) });
    assert.equal(response.status, 413);
    const body = JSON.parse(response.text);
    assert.equal(body.error.code, 'invalid_payload');
    assert.doesNotMatch(response.text, /node_modules|\/work\/|at [A-Za-z.]+ \(|<html|<pre>/i);
  });
});

test('an error logged for a URL holding "%f" keeps the error: the URL is never a format string', async () => {
  const t = await startServer({ server: { logger: consoleLogger } });
  const printed: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void printed.push(format(...args));
  try {
    // A store failure inside a request stands for any unexpected error (a full disk, a bug).
    t.server.store.contacts.list = async () => {
      throw new Error('database disk image is malformed');
    };
    const response = await api(t.url, '/api/v1/contacts?query=100%fun', { token: t.acme.agent.token });
    assert.equal(response.status, 500);
    assert.deepEqual(response.body, { error: { code: 'internal', message: 'Something went wrong on the server' } });
  } finally {
    console.error = original;
    await t.close();
  }
  const line = printed.find((text) => text.includes('/api/v1/contacts'));
  assert.ok(line, printed.join('\n'));
  assert.match(line, /GET \/api\/v1\/contacts\?query=100%fun failed/);
  assert.match(line, /database disk image is malformed/);
});
