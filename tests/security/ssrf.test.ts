/**
 * SSRF with credential leak: the sender of an Instagram message chooses its attachment URL, and
 * the server downloads it. Media must come only from the allowed hosts (Meta's CDNs; loopback
 * fakes here), never from a private or loopback address (checked after DNS), never with the
 * page's token, within size and time limits, checking every redirect; a refused download keeps
 * the message with its media marked unavailable.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { igMessage, postWebhook, startChannelTest, until, waMessages, type ChannelTest } from '../support/channels.js';
import { api } from '../server/helpers.js';

/** A real HTTP server on loopback that records every connection and request it gets. */
interface Recorder {
  url: string;
  /** `localhost` instead of 127.0.0.1: a name on the test's allow-list. */
  named: string;
  connections: number;
  requests: Array<{ path: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

async function startRecorder(handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => void res.end('secret')): Promise<Recorder> {
  const server = createServer((req, res) => {
    recorder.requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
    handle(req, res);
  });
  const recorder: Recorder = { url: '', named: '', connections: 0, requests: [], close: async () => {} };
  server.on('connection', () => void (recorder.connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  recorder.url = `http://127.0.0.1:${port}`;
  recorder.named = `http://localhost:${port}`;
  recorder.close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return recorder;
}

let sender = 0;

/** An Instagram customer sends a photo link; resolves with the stored message once its media job is done. */
async function instagramPhoto(kit: ChannelTest, link: string): Promise<any> {
  sender += 1;
  const igsid = `IGSID-ssrf-${sender}`;
  assert.equal((await postWebhook(kit.test.url, 'instagram', igMessage(igsid, { attachments: [{ type: 'image', payload: { url: link } }] }))).status, 200);
  return mediaSettled(kit, igsid);
}

/** A WhatsApp customer sends the photo `mediaId`; resolves with the stored message once its media job is done. */
async function whatsappPhoto(kit: ChannelTest, mediaId: string): Promise<any> {
  sender += 1;
  const waId = `52155990${String(sender).padStart(5, '0')}`;
  const payload = waMessages(waId, 'Cliente', [{ type: 'image', image: { id: mediaId, mime_type: 'image/jpeg', sha256: 'abc' } }]);
  assert.equal((await postWebhook(kit.test.url, 'whatsapp', payload)).status, 200);
  return mediaSettled(kit, waId);
}

async function mediaSettled(kit: ChannelTest, handle: string): Promise<any> {
  const token = kit.test.acme.agent.token;
  return until(async () => {
    const [contact] = (await api(kit.test.url, `/api/v1/contacts?query=${handle}`, { token })).body.contacts;
    if (!contact) return undefined;
    const conversations = (await api(kit.test.url, '/api/v1/conversations?status=all&limit=100', { token })).body.conversations;
    const conversation = conversations.find((c: any) => c.contactId === contact.id);
    if (!conversation) return undefined;
    const messages = (await api(kit.test.url, `/api/v1/conversations/${conversation.id}/messages?limit=10`, { token })).body.messages;
    return messages.find((m: any) => m.type === 'image' && (m.content?.media?.url || m.content?.media?.unavailable));
  }, `the media of ${handle}`);
}

function assertKeptUnavailable(message: any, reason: RegExp): void {
  assert.equal(message.type, 'image', 'the message itself is kept');
  assert.equal(message.content.media.unavailable, true);
  assert.ok(!message.content.media.url, 'no stored file to show');
  assert.match(message.content.media.error, reason);
}

describe("Meta's CDNs only (the default: https, public addresses)", () => {
  let kit: ChannelTest;
  let internal: Recorder;
  before(async () => {
    internal = await startRecorder();
    // `localhost` is allowed by name here, so that only the address check can refuse it.
    kit = await startChannelTest({ server: { media: { hosts: ['fbcdn.net', 'localhost'] } } });
  });
  after(async () => {
    await kit.close();
    await internal.close();
  });

  test('an Instagram attachment pointing at an internal address is never fetched; the message is kept', async () => {
    const message = await instagramPhoto(kit, `${internal.url}/latest/meta-data/iam/security-credentials`);
    assertKeptUnavailable(message, /https only/);
    assert.equal(internal.connections, 0, 'the internal service was never contacted');
  });

  test('an allowed host name that resolves to loopback is refused after DNS, before any connection', async () => {
    const message = await instagramPhoto(kit, `${internal.named.replace('http:', 'https:')}/admin`);
    assertKeptUnavailable(message, /not a public address/);
    assert.equal(internal.connections, 0);
  });

  test('a WhatsApp media URL outside the allowed hosts never gets the access token', async () => {
    kit.graph.media.set('wa-media-ssrf', { mimeType: 'image/jpeg', bytes: Buffer.from('x'), url: `${internal.url}/steal` });
    const message = await whatsappPhoto(kit, 'wa-media-ssrf');
    assertKeptUnavailable(message, /https only/);
    assert.equal(internal.connections, 0, 'no request, so no token, reached the other host');
  });
});

describe('an allow-list of loopback hosts (how tests run)', () => {
  let kit: ChannelTest;
  let cdn: Recorder;
  let otherCdn: Recorder;
  let internal: Recorder;
  const MAX_BYTES = 1024;
  before(async () => {
    internal = await startRecorder();
    otherCdn = await startRecorder((_req, res) => void res.writeHead(200, { 'content-type': 'image/png' }).end('other-cdn-bytes'));
    cdn = await startRecorder((req, res) => {
      if (req.url === '/photo.jpg') return void res.writeHead(200, { 'content-type': 'image/jpeg' }).end('cdn-photo-bytes');
      if (req.url === '/to-internal') return void res.writeHead(302, { location: `${internal.url}/metadata` }).end();
      if (req.url === '/to-other-cdn') return void res.writeHead(302, { location: `${otherCdn.named}/file.png` }).end();
      if (req.url === '/huge.jpg') return void res.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.alloc(MAX_BYTES * 4));
      if (req.url === '/huge-unannounced.jpg') {
        res.writeHead(200, { 'content-type': 'image/jpeg', 'transfer-encoding': 'chunked' });
        for (let i = 0; i < 8; i += 1) res.write(Buffer.alloc(MAX_BYTES));
        return void res.end();
      }
      if (req.url === '/slow.jpg') return; // never answers
      res.writeHead(404).end();
    });
    kit = await startChannelTest({ server: { media: { hosts: ['localhost'], allowLocalNetwork: true, maxBytes: MAX_BYTES, timeoutMs: 150 } } });
  });
  after(async () => {
    await kit.close();
    await Promise.all([cdn.close(), otherCdn.close(), internal.close()]);
  });

  test('an Instagram attachment from an allowed host is kept, fetched without any token', async () => {
    const message = await instagramPhoto(kit, `${cdn.named}/photo.jpg`);
    assert.equal(message.content.media.size, 'cdn-photo-bytes'.length);
    const fetched = cdn.requests.filter((r) => r.path === '/photo.jpg');
    assert.equal(fetched.length, 1);
    assert.equal(fetched[0]!.authorization, undefined, 'the page token never goes with a link the sender chose');
  });

  test('WhatsApp media from an allowed host is downloaded with the token, which a redirect elsewhere drops', async () => {
    kit.graph.media.set('wa-media-cdn', { mimeType: 'image/jpeg', bytes: Buffer.from('x'), url: `${cdn.named}/photo.jpg` });
    const kept = await whatsappPhoto(kit, 'wa-media-cdn');
    assert.equal(kept.content.media.size, 'cdn-photo-bytes'.length);
    assert.equal(cdn.requests.at(-1)!.authorization, 'Bearer wa-token');

    kit.graph.media.set('wa-media-moved', { mimeType: 'image/jpeg', bytes: Buffer.from('x'), url: `${cdn.named}/to-other-cdn` });
    const moved = await whatsappPhoto(kit, 'wa-media-moved');
    assert.equal(moved.content.media.size, 'other-cdn-bytes'.length);
    assert.equal(cdn.requests.at(-1)!.authorization, 'Bearer wa-token');
    assert.equal(otherCdn.requests.length, 1);
    assert.equal(otherCdn.requests[0]!.authorization, undefined, 'the token stays with the host Graph named');
  });

  test('a redirect to a host off the list is not followed', async () => {
    const message = await instagramPhoto(kit, `${cdn.named}/to-internal`);
    assertKeptUnavailable(message, /127\.0\.0\.1 is not a host media is fetched from/);
    assert.equal(internal.connections, 0);
  });

  test('files over the size limit are refused, announced or not', async () => {
    assertKeptUnavailable(await instagramPhoto(kit, `${cdn.named}/huge.jpg`), /larger than 1024 bytes/);
    assertKeptUnavailable(await instagramPhoto(kit, `${cdn.named}/huge-unannounced.jpg`), /larger than 1024 bytes/);
  });

  test('a host that never answers is given up on after the time limit and the retries', async () => {
    assertKeptUnavailable(await instagramPhoto(kit, `${cdn.named}/slow.jpg`), /took too long/);
  });
});
