import assert from 'node:assert/strict';
import { resolveObjectURL } from 'node:buffer';
import { after, before, describe, it } from 'node:test';
import { CharlaClient, MemoryStorage } from '@charla/client';
import type { Message } from '@charla/protocol';
import { eventually } from '../server/helpers.js';
import { postWebhook, startChannelTest, waMessages, type ChannelTest } from '../support/channels.js';

let kit: ChannelTest;
let client: CharlaClient;

before(async () => {
  kit = await startChannelTest();
  client = new CharlaClient({ url: kit.test.url, token: kit.test.acme.agent.token, storage: new MemoryStorage() });
});
after(async () => {
  client.close();
  await kit.close();
});

describe('stored attachments in the agent client', () => {
  it('fetches a WhatsApp photo with the agent token and hands the page an object URL of its bytes', async () => {
    kit.graph.media.set('media-photo-1', { mimeType: 'image/jpeg', bytes: Buffer.from('jpeg-bytes-of-the-receipt') });
    const payload = waMessages('5215512349999', 'Foto', [{ type: 'image', image: { id: 'media-photo-1', mime_type: 'image/jpeg', sha256: 'x', caption: 'Mi recibo' } }]);
    assert.equal((await postWebhook(kit.test.url, 'whatsapp', payload)).status, 200);
    await eventually(() => client.state === 'online', 5000, 'the client online');
    const page = await client.request('conversations.list', { status: 'all' });
    const conversation = page.conversations.find((c) => c.lastMessagePreview === 'Mi recibo')!;
    const image = await eventually(async () => {
      const { messages } = await client.request('messages.list', { conversationId: conversation.id });
      return (messages as Message[]).find((m) => m.type === 'image' && (m.content?.media as { url?: string } | undefined)?.url);
    }, 5000, 'the photo downloaded');
    const path = (image.content!.media as { url: string }).url;
    assert.match(path, /^\/api\/v1\/media\//);

    let changes = 0;
    const stop = client.subscribe(() => (changes += 1));
    assert.equal(client.mediaUrl(path), undefined, 'loading');
    const objectUrl = await eventually(() => client.mediaUrl(path), 5000, 'the object URL');
    stop();
    assert.ok(changes > 0, 'views hear when it arrives');
    assert.match(objectUrl!, /^blob:/);
    assert.equal(await resolveObjectURL(objectUrl!)!.text(), 'jpeg-bytes-of-the-receipt');
    assert.equal(client.mediaUrl(path), objectUrl, 'fetched once, then kept');

    assert.equal(client.mediaUrl('/api/v1/media/msg_missing'), undefined);
    await eventually(() => client.mediaUrl('/api/v1/media/msg_missing') === null, 5000, 'a missing attachment settles as unavailable');
    assert.equal(client.mediaUrl('https://cdn.example.com/p.jpg'), 'https://cdn.example.com/p.jpg', 'other URLs as they are');
  });
});
