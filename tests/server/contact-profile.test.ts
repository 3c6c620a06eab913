import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChangeEvent, Contact, ContactProfile } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { connectAgent, emitAck, eventually, recordEvents, request, startServer, visitorWrites, type TestServer } from './helpers.js';

let t: TestServer;
let agent: Socket;
let contactId: string;

before(async () => {
  t = await startServer();
  agent = await connectAgent(t.url, t.acme.agent.token);
  ({ contactId } = await visitorWrites(t, t.acme, 'Hola, quiero una cotización'));
});
after(() => t.close());

describe('the contact profile', () => {
  test('brings the contact with its company and notes, newest first', async () => {
    await request(agent, 'note.create', { contactId, body: 'Prefiere que la llamen por la tarde' });
    await request(agent, 'note.create', { contactId, body: 'Pidió factura a nombre de su empresa' });
    const profile: ContactProfile = await request(agent, 'contact.profile', { contactId });
    assert.equal(profile.contact.id, contactId);
    assert.equal(profile.company, null);
    assert.deepEqual(profile.notes.map((note) => note.body), ['Pidió factura a nombre de su empresa', 'Prefiere que la llamen por la tarde']);
  });

  test('edits are validated, stored with the phone in E.164, and reach other agents live', async () => {
    const other = await connectAgent(t.url, t.acme.admin.token);
    const events = recordEvents(other);
    const contact: Contact = await request(agent, 'contact.update', {
      contactId,
      patch: { name: 'Lucía Torres', email: 'lucia@torres.mx', phone: '+52 55 1234 5678' },
    });
    assert.equal(contact.name, 'Lucía Torres');
    assert.equal(contact.phone, '+525512345678');
    await eventually(() =>
      events.find((e: ChangeEvent) => e.type === 'contact.upserted' && e.data.contact.name === 'Lucía Torres'),
    );
    other.disconnect();

    const badPhone = await emitAck(agent, 'contact.update', { contactId, patch: { phone: '12' } });
    assert.deepEqual(badPhone.ok ? null : badPhone.error.code, 'invalid_payload');
    assert.match(badPhone.ok ? '' : badPhone.error.message, /phone/);
    const badEmail = await emitAck(agent, 'contact.update', { contactId, patch: { email: 'lucia@' } });
    assert.equal(badEmail.ok ? null : badEmail.error.code, 'invalid_payload');
    const empty = await emitAck(agent, 'contact.update', { contactId, patch: {} });
    assert.equal(empty.ok ? null : empty.error.code, 'invalid_payload');
    const unchanged: ContactProfile = await request(agent, 'contact.profile', { contactId });
    assert.equal(unchanged.contact.phone, '+525512345678', 'a refused edit changes nothing');
  });

  test('tags and custom attributes are replaced as a whole and validated', async () => {
    const contact: Contact = await request(agent, 'contact.update', {
      contactId, patch: { tags: ['vip', 'mayorista'], attributes: { plan: 'Pro', 'fecha de alta': '2024-03-01' } },
    });
    assert.deepEqual(contact.tags, ['vip', 'mayorista']);
    assert.deepEqual(contact.attributes, { plan: 'Pro', 'fecha de alta': '2024-03-01' });
    const profile: ContactProfile = await request(agent, 'contact.profile', { contactId });
    assert.deepEqual(profile.contact.tags, ['vip', 'mayorista']);
    const badName = await emitAck(agent, 'contact.update', { contactId, patch: { attributes: { '<script>': 'x' } } });
    assert.equal(badName.ok ? null : badName.error.code, 'invalid_payload');
    const tooMany = await emitAck(agent, 'contact.update', { contactId, patch: { tags: Array.from({ length: 31 }, (_, i) => `t${i}`) } });
    assert.equal(tooMany.ok ? null : tooMany.error.code, 'invalid_payload');
  });

  test('viewers cannot edit, and another workspace sees nothing', async () => {
    const viewer = await connectAgent(t.url, t.acme.viewer.token);
    const refused = await emitAck(viewer, 'contact.update', { contactId, patch: { name: 'X' } });
    assert.equal(refused.ok ? null : refused.error.code, 'forbidden');
    viewer.disconnect();
    const stranger = await connectAgent(t.url, t.globex.admin.token);
    for (const [event, payload] of [
      ['contact.profile', { contactId }],
      ['contact.update', { contactId, patch: { name: 'X' } }],
    ] as const) {
      const ack = await emitAck(stranger, event, payload);
      assert.equal(ack.ok ? null : ack.error.code, 'not_found', event);
    }
    stranger.disconnect();
  });

  test('malformed requests get invalid_payload', async () => {
    for (const payload of [undefined, 'x', {}, { contactId: 7 }, { contactId, extra: true }]) {
      const ack = await emitAck(agent, 'contact.profile', payload);
      assert.equal(ack.ok ? null : ack.error.code, 'invalid_payload', JSON.stringify(payload));
    }
    const ack = await emitAck(agent, 'contact.update', { contactId, patch: { name: 'Ok' }, other: 1 });
    assert.equal(ack.ok ? null : ack.error.code, 'invalid_payload');
  });
});
