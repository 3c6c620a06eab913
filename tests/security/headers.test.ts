import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { api } from '../server/helpers.js';
import { startChannelTest, WA, type ChannelTest } from '../support/channels.js';

let channels: ChannelTest;
let url: string;

before(async () => {
  channels = await startChannelTest();
  url = channels.test.url;
  // The built front end the server serves (pages at the root, the widget under widget/).
  const staticDir = join(channels.test.dir, 'no-static');
  await mkdir(join(staticDir, 'widget'), { recursive: true });
  await mkdir(join(staticDir, 'demo'), { recursive: true });
  for (const page of ['admin', 'shop']) await writeFile(join(staticDir, 'demo', `${page}.html`), `<!doctype html><title>${page}</title>`);
  await writeFile(join(staticDir, 'widget', 'widget.js'), '/* widget */');
});
after(() => channels.close());

/** Every kind of answer: pages, the widget loader, the API (ok and refused), the webhook challenge. */
const ANSWERS: Array<[string, string, Record<string, string>?]> = [
  ['admin page', '/admin'],
  ['sample shop', '/shop'],
  ['widget loader', '/widget.js'],
  ['health', '/healthz'],
  ['API without a token', '/api/v1/contacts'],
  ['API', '/api/v1/contacts', { authorization: 'TOKEN' }],
  ['webhook challenge', `/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${WA.verifyToken}&hub.challenge=1158201444`],
  ['unknown page', '/nothing-here'],
];

test('every answer carries a CSP that forbids framing and foreign scripts, nosniff, X-Frame-Options and Referrer-Policy', async () => {
  for (const [what, path, headers] of ANSWERS) {
    const response = await api(url, path, { headers: headers?.authorization ? { authorization: `Bearer ${channels.test.acme.admin.token}` } : {} });
    assert.ok(response.status < 500, `${what}: ${response.status}`);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors 'none'/, what);
    assert.match(csp, /script-src 'self'(;|$)/, what);
    assert.match(csp, /object-src 'none'/, what);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', what);
    assert.equal(response.headers.get('x-frame-options'), 'DENY', what);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer', what);
    assert.equal(response.headers.get('x-powered-by'), null, what);
  }
});

test('the webhook challenge is still answered bare, and the widget loader stays loadable by other sites', async () => {
  const challenge = await api(url, `/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${WA.verifyToken}&hub.challenge=1158201444`);
  assert.equal(challenge.status, 200);
  assert.equal(challenge.body, 1158201444);
  const widget = await fetch(`${url}/widget.js`);
  assert.equal(widget.status, 200);
  assert.equal(widget.headers.get('cross-origin-resource-policy'), 'cross-origin');
  assert.equal(widget.headers.get('access-control-allow-origin'), '*');
  // Pages of this origin are not readable by other sites' no-cors requests.
  assert.equal((await fetch(`${url}/admin`)).headers.get('cross-origin-resource-policy'), 'same-origin');
});
