import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { postWebhook, startChannelTest, until, WA, waText, type ChannelTest } from '../support/channels.js';
import { api } from './helpers.js';

let kit: ChannelTest;
before(async () => {
  kit = await startChannelTest();
});
after(() => kit.close());


test('a Click-to-WhatsApp referral is kept on the conversation; its first deal is reported as a lead and the won deal as a purchase, once each', async () => {
  const { url } = kit.test;
  const token = kit.test.acme.admin.token;
  await api(url, '/api/v1/channels/whatsapp', { token, method: 'PUT', body: { datasetId: '998877' } });
  const referral = {
    source_url: 'https://fb.me/abc', source_id: '120210', source_type: 'ad', headline: 'Envío gratis', body: 'Solo hoy',
    ctwa_clid: 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a',
  };
  await postWebhook(url, 'whatsapp', waText('5215530000001', 'Desde anuncio', 'Vi su anuncio', { referral }));
  const conversation = await until(async () => {
    const list = await api(url, '/api/v1/conversations?status=all&channel=whatsapp&query=5215530000001', { token });
    return list.body.conversations[0];
  }, 'conversation');
  assert.deepEqual(conversation.referral, referral);

  // A second message of the conversation does not replace the ad that brought her.
  await postWebhook(url, 'whatsapp', waText('5215530000001', 'Desde anuncio', 'Hola otra vez', { referral: { ...referral, ctwa_clid: 'other' } }));
  await until(async () => (await api(url, `/api/v1/conversations/${conversation.id}`, { token })).body.conversation.unreadCount === 2, 'second');
  assert.equal((await api(url, `/api/v1/conversations/${conversation.id}`, { token })).body.conversation.referral.ctwa_clid, referral.ctwa_clid);

  const pipeline = await api(url, '/api/v1/pipelines', { token, method: 'POST', body: { name: 'Ventas', stages: [{ name: 'Nuevo' }] } });
  assert.equal(pipeline.status, 201, JSON.stringify(pipeline.body));
  const won = pipeline.body.stages.find((s: any) => s.kind === 'won');
  const deal = await api(url, '/api/v1/deals', {
    token, method: 'POST',
    body: { pipelineId: pipeline.body.id, title: 'Pedido anuncio', amount: 1500, currency: 'MXN', conversationId: conversation.id },
  });
  assert.equal(deal.status, 201, JSON.stringify(deal.body));
  // Its first deal makes the conversation a qualified lead: LeadSubmitted, once.
  const events = () => kit.graph.sent('/998877/events').map((request) => request.body.data[0]);
  const lead = await until(async () => events().find((data: any) => data.event_name === 'LeadSubmitted'), 'lead reported');
  assert.equal(lead.event_id, `lead-${conversation.id}`);
  assert.deepEqual(lead.user_data, { whatsapp_business_account_id: WA.wabaId, ctwa_clid: referral.ctwa_clid });

  await api(url, `/api/v1/deals/${deal.body.id}`, { token, method: 'PATCH', body: { stageId: won.id } });
  const purchase = await until(async () => kit.graph.sent('/998877/events').find((request) => request.body.data[0].event_name === 'Purchase'), 'conversion sent');
  assert.equal(purchase.path, '/v21.0/998877/events');
  assert.equal(purchase.authorization, `Bearer ${WA.accessToken}`);
  const [data] = purchase.body.data;
  assert.equal(data.event_id, `deal-${deal.body.id}`);
  assert.equal(data.action_source, 'business_messaging');
  assert.equal(data.messaging_channel, 'whatsapp');
  assert.deepEqual(data.user_data, { whatsapp_business_account_id: WA.wabaId, ctwa_clid: referral.ctwa_clid });
  assert.deepEqual(data.custom_data, { currency: 'MXN', value: 1500 });

  // Editing the won deal again, or a second deal of the conversation, reports nothing more.
  await api(url, `/api/v1/deals/${deal.body.id}`, { token, method: 'PATCH', body: { title: 'Pedido anuncio (pagado)' } });
  await api(url, '/api/v1/deals', {
    token, method: 'POST', body: { pipelineId: pipeline.body.id, title: 'Segundo pedido', amount: 300, currency: 'MXN', conversationId: conversation.id },
  });
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(events().map((e: any) => e.event_name), ['LeadSubmitted', 'Purchase']);
});
