/**
 * One person, one contact: the workspace's country, phones read in it everywhere, and the rule
 * that no two contacts of a workspace hold the same strong key, whatever wrote it (a channel
 * handle, a detail in a message, the AI, an import, an agent's edit).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Analysis, ChangeEvent } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { OpenAiProvider } from '../../server/src/ai/openai.js';
import { emailKey, phoneKey } from '../../server/src/identity/keys.js';
import { newContact } from '../../server/src/services/entities.js';
import { startFakeOpenAi, type ChatRequest, type FakeOpenAi } from '../support/fake-openai.js';
import { igMessage, postWebhook, startChannelTest, until, waText, type ChannelTest } from '../support/channels.js';
import { api, clientId, connectAgent, connectVisitor, emitAck, recordEvents, request, startServer } from './helpers.js';
import { seeded } from '../support/seeded.js';

/** What the model reads: the phone `aiPhone` in the newest customer line that mentions a cell phone. */
let aiPhone: string | null = null;
function modelAnswer(chat: ChatRequest): string {
  const transcript = chat.messages.at(-1)!.content;
  const lines = [...transcript.matchAll(/^\[([^\]]+)\] Customer: (.*)$/gm)].map(([, id, body]) => ({ id: id!, body: body! }));
  const withPhone = lines.findLast((line) => /\bcel\b/i.test(line.body));
  const analysis: Analysis = {
    lead: {
      name: null, email: null, company: null, productInterest: null, budget: null, timeline: null, urgency: null,
      phone: aiPhone && withPhone ? { value: aiPhone, messageId: withPhone.id, confidence: 0.95 } : null,
    },
    summary: 'La clienta pide la cotización que le mandaron por WhatsApp.',
    sentiment: 'neutral',
    sentimentTrend: 'steady',
    topics: ['pricing'],
    nextAction: 'Reenviar la cotización.',
    intent: 'medium',
    objections: [],
    bant: { budget: null, authority: null, need: null, timing: null },
  };
  return JSON.stringify(analysis);
}

interface Kit {
  channels: ChannelTest;
  url: string;
  token: string;
  admin: string;
}

async function startKit(openAi: FakeOpenAi): Promise<Kit> {
  const provider = new OpenAiProvider({ apiKey: 'sk-test', baseURL: openAi.baseURL, model: 'test-model', timeoutMs: 2000, attempts: 1 });
  const channels = await startChannelTest({ server: { ai: { provider, debounceMs: 30, backoffMs: 20, maxAttempts: 2 } } });
  const url = channels.test.url;
  const admin = channels.test.acme.admin.token;
  const mexico = await api(url, '/api/v1/workspace', { token: admin, method: 'PATCH', body: { defaultCountry: 'MX', timezone: 'America/Mexico_City', currency: 'MXN' } });
  assert.equal(mexico.status, 200, JSON.stringify(mexico.body));
  return { channels, url, token: channels.test.acme.agent.token, admin };
}

async function allContacts(kit: Kit): Promise<any[]> {
  const contacts: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = (await api(kit.url, `/api/v1/contacts?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token: kit.token })).body;
    contacts.push(...page.contacts);
    cursor = page.nextCursor;
  } while (cursor);
  return contacts;
}

/** Every strong key of a contact: its email and phone, and those of its identities. */
function keysOfContact(contact: any): string[] {
  const keys = [contact.email && emailKey(contact.email), contact.phone && phoneKey(contact.phone)];
  for (const identity of contact.identities) {
    if (identity.channel === 'email') keys.push(emailKey(identity.handle));
    if (identity.channel === 'whatsapp' || identity.channel === 'phone') keys.push(phoneKey(identity.handle));
  }
  return [...new Set(keys.filter(Boolean))];
}

/** Keys held by more than one contact, with their holders. */
async function sharedKeys(kit: Kit): Promise<string[]> {
  const holders = new Map<string, string[]>();
  for (const contact of await allContacts(kit)) {
    for (const key of keysOfContact(contact)) holders.set(key, [...(holders.get(key) ?? []), contact.id]);
  }
  return [...holders].filter(([, ids]) => ids.length > 1).map(([key, ids]) => `${key}: ${ids.join(', ')}`);
}

const contactsMatching = async (kit: Kit, query: string) =>
  (await api(kit.url, `/api/v1/contacts?query=${encodeURIComponent(query)}`, { token: kit.token })).body.contacts as any[];

const importCsv = (kit: Kit, csv: string) =>
  api(kit.url, '/api/v1/contacts/import', { token: kit.token, method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } });

describe('the workspace and its country', () => {
  let openAi: FakeOpenAi;
  let kit: Kit;
  before(async () => {
    openAi = await startFakeOpenAi();
    openAi.fallback = { kind: 'answer', content: modelAnswer };
    kit = await startKit(openAi);
  });
  after(async () => {
    await kit.channels.close();
    await openAi.close();
  });

  test('admins read and change the name, country, time zone and currency; agents see them in their session', async () => {
    const read = await api(kit.url, '/api/v1/workspace', { token: kit.admin });
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, { name: 'Acme', defaultCountry: 'MX', timezone: 'America/Mexico_City', currency: 'MXN', agentVisibility: 'all' });
    const renamed = await api(kit.url, '/api/v1/workspace', { token: kit.admin, method: 'PATCH', body: { name: 'Acme México', currency: 'mxn' } });
    assert.equal(renamed.status, 200);
    assert.deepEqual(renamed.body, { name: 'Acme México', defaultCountry: 'MX', timezone: 'America/Mexico_City', currency: 'MXN', agentVisibility: 'all' });
    const socket = await connectAgent(kit.url, kit.token);
    const session = await request(socket, 'session.get');
    assert.equal(session.workspace.defaultCountry, 'MX');
    assert.equal(session.workspace.currency, 'MXN');
    const other = await api(kit.url, '/api/v1/workspace', { token: kit.channels.test.globex.admin.token });
    assert.equal(other.body.defaultCountry, 'US', 'a workspace created without one starts in the US');
  });

  test('bad settings answer 400 and change nothing; agents and viewers cannot read or change them', async () => {
    const before = (await api(kit.url, '/api/v1/workspace', { token: kit.admin })).body;
    const bad: Array<[unknown, RegExp]> = [
      [{ defaultCountry: 'XX' }, /defaultCountry/],
      [{ defaultCountry: 'Mexico' }, /defaultCountry/],
      [{ defaultCountry: 'AQ' }, /defaultCountry/],
      [{ timezone: 'Mars/Olympus_Mons' }, /timezone/],
      [{ currency: 'ABC' }, /currency/],
      [{ currency: 'XXX' }, /currency/],
      [{ currency: 'MXNN' }, /currency/],
      [{ name: '' }, /name/],
      [{ country: 'MX' }, /country/],
      [{}, /at least one/],
      [{ defaultCountry: 'AR', currency: 'PESOS' }, /currency/],
    ];
    for (const [body, message] of bad) {
      const response = await api(kit.url, '/api/v1/workspace', { token: kit.admin, method: 'PATCH', body });
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(response.body.error.code, 'invalid_payload');
      assert.match(response.body.error.message, message);
    }
    for (const token of [kit.token, kit.channels.test.acme.viewer.token]) {
      assert.equal((await api(kit.url, '/api/v1/workspace', { token })).status, 403);
      assert.equal((await api(kit.url, '/api/v1/workspace', { token, method: 'PATCH', body: { defaultCountry: 'AR' } })).status, 403);
    }
    assert.deepEqual((await api(kit.url, '/api/v1/workspace', { token: kit.admin })).body, before);
  });
});

describe('one person, one contact', () => {
  let openAi: FakeOpenAi;
  let kit: Kit;
  let agentEvents: ChangeEvent[];
  let socket: Socket;
  before(async () => {
    openAi = await startFakeOpenAi();
    openAi.fallback = { kind: 'answer', content: modelAnswer };
    kit = await startKit(openAi);
    socket = await connectAgent(kit.url, kit.token);
    agentEvents = recordEvents(socket);
  });
  after(async () => {
    await kit.channels.close();
    await openAi.close();
  });

  /** Waits until the webhook's message is stored (webhooks are processed after the 200). */
  const stored = (text: string) =>
    until(async () => agentEvents.some((e) => e.type === 'message.upserted' && (e.data as any).message.body === text), `"${text}" stored`);

  const conversationsOf = async (contactId: string) =>
    ((await api(kit.url, '/api/v1/conversations?status=all&limit=100', { token: kit.token })).body.conversations as any[]).filter((c) => c.contactId === contactId);

  test('the María story: WhatsApp, then Instagram with a local number, then the AI: one contact with the quote', async () => {
    const hello = 'Hola, ¿me pasan la cotización de 3 sillas?';
    await postWebhook(kit.url, 'whatsapp', waText('5215530011122', 'María López', hello));
    await stored(hello);
    const [maria] = await contactsMatching(kit, '5215530011122');
    assert.equal(maria.phone, '+525530011122');
    const [onWhatsapp] = await conversationsOf(maria.id);
    const quote = 'Cotización: 3 sillas Aurora, $4,500 MXN con envío';
    const sent = await api(kit.url, `/api/v1/conversations/${onWhatsapp.id}/messages`, { token: kit.token, method: 'POST', body: { clientId: clientId(), body: quote } });
    assert.equal(sent.status, 201);

    aiPhone = '55 3001 1122';
    const onInstagram = 'ya les escribí por WhatsApp, mi cel es 55 3001 1122';
    await postWebhook(kit.url, 'instagram', igMessage('IGSID-maria', { text: onInstagram }));
    await stored(onInstagram);
    const joined = await until(async () => (await contactsMatching(kit, 'IGSID-maria')).find((c) => c.id === maria.id), 'Instagram joined María');
    assert.equal(joined.name, 'María López');
    assert.deepEqual(joined.identities.map((i: any) => i.channel).sort(), ['instagram', 'whatsapp']);

    const instagram = (await conversationsOf(maria.id)).find((c) => c.channel === 'instagram');
    assert.ok(instagram, 'the Instagram conversation is hers');

    // The analysis of the Instagram conversation reads the same phone: nothing splits again.
    await until(async () => agentEvents.some((e) => e.type === 'ai.insight.upserted' && e.conversationId === instagram.id && (e.data as any).insight.status === 'ready'), 'AI enrichment');
    assert.deepEqual(await sharedKeys(kit), []);
    assert.deepEqual((await contactsMatching(kit, '5530011122')).map((c) => c.id), [maria.id]);

    // The agent opening the Instagram conversation sees María, with the quote sent on WhatsApp.
    const opened = await api(kit.url, `/api/v1/conversations/${instagram.id}`, { token: kit.token });
    assert.equal(opened.body.conversation.contactId, maria.id);
    const timeline = (await api(kit.url, `/api/v1/contacts/${maria.id}/timeline`, { token: kit.token })).body.items as any[];
    assert.ok(timeline.some((item) => item.kind === 'message' && item.text.includes('Cotización') && item.channel === 'whatsapp'), 'the quote is in her timeline');
    assert.ok(timeline.some((item) => item.kind === 'message' && item.channel === 'instagram'), "timeline.some((item) => item.kind === 'message' && item.channel === 'instagram')");
  });

  test('the AI reading a phone another contact holds makes them one', async () => {
    const hello = 'Buenas tardes, soy Carlos';
    await postWebhook(kit.url, 'whatsapp', waText('5215530033344', 'Carlos Ruiz', hello));
    await stored(hello);
    const [carlos] = await contactsMatching(kit, '5215530033344');
    // Written so that only a reader of the whole sentence gets it: no digits to capture.
    aiPhone = '55 3003 3344';
    const spelled = 'mi cel es cinco cinco, treinta cero tres, treinta y tres cuarenta y cuatro';
    await postWebhook(kit.url, 'instagram', igMessage('IGSID-carlos', { text: spelled }));
    await stored(spelled);
    const joined = await until(async () => (await contactsMatching(kit, 'IGSID-carlos')).find((c) => c.id === carlos.id), 'joined by the AI');
    assert.equal(joined.phone, '+525530033344');
    assert.deepEqual(await sharedKeys(kit), []);
    aiPhone = null;
  });

  test('a bare number is a phone only when it is a valid number of the country and reads as one', async () => {
    for (const text of ['mi pedido 5530044455 no ha llegado', 'pagué $5530044455', 'el folio es #5530044455', 'llámame al 1234567890']) {
      await postWebhook(kit.url, 'instagram', igMessage(`IGSID-${text.length}`, { text }));
      await stored(text);
      const [contact] = await contactsMatching(kit, `IGSID-${text.length}`);
      assert.equal(contact.phone, null, text);
    }
  });

  test("a contact's own number's country wins over the workspace's", async () => {
    const hello = 'Hola, les escribo desde Buenos Aires';
    await postWebhook(kit.url, 'whatsapp', waText('5491144445555', 'Lucía', hello));
    await stored(hello);
    const another = 'mi otro cel es 11 15-2222-3333';
    await postWebhook(kit.url, 'whatsapp', waText('5491144445555', 'Lucía', another));
    await stored(another);
    const [lucia] = await contactsMatching(kit, '5491144445555');
    assert.ok(lucia.identities.some((i: any) => i.channel === 'phone' && i.handle === '+5491122223333'), JSON.stringify(lucia.identities));
  });

  test('an import row whose email is one contact and whose phone is another merges them and says so', async () => {
    const hello = 'Hola, quiero info';
    await postWebhook(kit.url, 'whatsapp', waText('5215530066677', 'Ana Torres', hello));
    await stored(hello);
    const [byPhone] = await contactsMatching(kit, '5215530066677');
    const mail = 'escríbanme a ana.torres@ferreteria-sol.mx';
    await postWebhook(kit.url, 'instagram', igMessage('IGSID-ana', { text: mail }));
    await stored(mail);
    const [byEmail] = await contactsMatching(kit, 'IGSID-ana');
    assert.notEqual(byEmail.id, byPhone.id);

    const report = await importCsv(kit, 'name,email,phone,tags\nAna Torres,Ana.Torres@ferreteria-sol.mx,55 3006 6677,mayorista\nPaco,,55 3007 7788,\n');
    assert.equal(report.status, 200);
    const [row, local] = report.body.rows;
    assert.equal(row.outcome, 'merged');
    assert.equal(row.contactId, byPhone.id, 'the older contact survives');
    assert.deepEqual(row.mergedIds, [byEmail.id]);
    assert.match(row.reason, /email and phone of 2 contacts: merged into one/);
    assert.equal(local.outcome, 'created');

    const ana = (await api(kit.url, `/api/v1/contacts/${byPhone.id}`, { token: kit.token })).body;
    assert.equal(ana.email, 'ana.torres@ferreteria-sol.mx');
    assert.deepEqual(ana.identities.map((i: any) => i.channel).sort(), ['instagram', 'whatsapp']);
    assert.equal((await api(kit.url, `/api/v1/contacts/${byEmail.id}`, { token: kit.token })).status, 404);
    const [paco] = await contactsMatching(kit, 'Paco');
    assert.equal(paco.phone, '+525530077788', 'a local number in the CSV is read in the workspace country');
    assert.deepEqual(await sharedKeys(kit), []);
  });

  test("an agent typing another contact's phone on a contact makes them one", async () => {
    const hello = 'hola, soy Beto';
    await postWebhook(kit.url, 'whatsapp', waText('5215530088899', 'Beto', hello));
    await stored(hello);
    const [beto] = await contactsMatching(kit, '5215530088899');
    const ig = 'hola desde insta';
    await postWebhook(kit.url, 'instagram', igMessage('IGSID-beto', { text: ig }));
    await stored(ig);
    const [betoIg] = await contactsMatching(kit, 'IGSID-beto');
    const edited = await api(kit.url, `/api/v1/contacts/${betoIg.id}`, { token: kit.token, method: 'PATCH', body: { phone: '044 55 3008 8899' } });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal(edited.body.id, beto.id, 'the edit answers the contact they now are (the older)');
    assert.deepEqual(edited.body.identities.map((i: any) => i.channel).sort(), ['instagram', 'whatsapp']);
    const invalid = await api(kit.url, `/api/v1/contacts/${beto.id}`, { token: kit.token, method: 'PATCH', body: { phone: '12 34' } });
    assert.equal(invalid.status, 400);
    assert.equal((await api(kit.url, `/api/v1/contacts/${beto.id}`, { token: kit.token })).body.phone, '+525530088899', 'nothing changed');
  });
});

describe('what visitors type in the webchat', () => {
  let openAi: FakeOpenAi;
  let kit: Kit;
  before(async () => {
    openAi = await startFakeOpenAi();
    kit = await startKit(openAi);
    const form = await api(kit.url, '/api/v1/workspace/widget', { token: kit.admin, method: 'PATCH', body: { preChat: { name: 'optional', email: 'optional', phone: 'optional' } } });
    assert.equal(form.status, 200, JSON.stringify(form.body));
  });
  after(async () => {
    await kit.channels.close();
    await openAi.close();
  });

  const widgetKey = () => kit.channels.test.acme.workspace.widgetKey;

  test('a pre-chat phone written the local way joins the WhatsApp contact that has it; the visitor still sees only their own chat', async () => {
    await postWebhook(kit.url, 'whatsapp', waText('5215530099000', 'Sofía Ramos', 'Hola, ¿tienen envío a Puebla?'));
    const sofia = await until(async () => (await contactsMatching(kit, '5215530099000'))[0], 'Sofía on WhatsApp');
    // Someone else already chats on the site and left the same email (a typed email proves nothing).
    const earlier = await connectVisitor(kit.url, widgetKey());
    await request(earlier, 'message.send', { clientId: clientId(), body: 'mensaje de otra persona en la web' });
    await request(earlier, 'profile.update', { email: 'sofia.ramos@correo-sol.mx' });

    const visitor = await connectVisitor(kit.url, widgetKey());
    await request(visitor, 'message.send', { clientId: clientId(), body: 'hola desde la web' });
    await request(visitor, 'prechat.submit', { name: 'Sofi', email: 'Sofia.Ramos@correo-sol.mx', phone: '55 3009 9000' });

    const [contact, ...others] = await contactsMatching(kit, 'sofia.ramos@correo-sol.mx');
    assert.equal(others.length, 0, 'agents see one contact');
    assert.equal(contact.id, sofia.id, 'the oldest survives');
    assert.equal(contact.phone, '+525530099000');
    assert.deepEqual(await sharedKeys(kit), []);

    const own = (await request(visitor, 'messages.list', { limit: 50 })).messages.map((m: any) => m.body);
    assert.deepEqual(own, ['hola desde la web'], 'the visitor sees their own chat only');
    const invalid = await emitAck(visitor, 'prechat.submit', { phone: '12 34' });
    assert.equal(invalid.ok, false);
  });
});

describe('phones as people write them, read in the workspace country', () => {
  let openAi: FakeOpenAi;
  let kit: Kit;
  before(async () => {
    openAi = await startFakeOpenAi();
    kit = await startKit(openAi);
  });
  after(async () => {
    await kit.channels.close();
    await openAi.close();
  });

  // PROTOCOLS.md: how people write their own numbers in each country.
  const FORMATS: Record<string, Array<[written: string, e164: string]>> = {
    MX: [['55 1234 5678', '+525512345678'], ['(55) 1234-5678', '+525512345678'], ['044 55 1234 5678', '+525512345678'], ['045 55 1234 5678', '+525512345678'], ['01 55 1234 5678', '+525512345678']],
    AR: [['11 15-1234-5678', '+5491112345678'], ['011 15 1234 5678', '+5491112345678']],
    BR: [['(11) 98765-4321', '+5511987654321'], ['0 21 11 98765-4321', '+5511987654321'], ['(11) 8765-4321', '+5511987654321']],
    CO: [['300 123 4567', '+573001234567']],
    ES: [['612 34 56 78', '+34612345678']],
    US: [['(202) 555-0110', '+12025550110']],
  };

  for (const [country, formats] of Object.entries(FORMATS)) {
    test(`${country}: imported, typed on a contact and written in a message`, async () => {
      const changed = await api(kit.url, '/api/v1/workspace', { token: kit.admin, method: 'PATCH', body: { defaultCountry: country } });
      assert.equal(changed.status, 200);
      for (const [index, [written, e164]] of formats.entries()) {
        const name = `${country} ${index}`;
        const report = await importCsv(kit, `name,phone\n${name},"${written}"\n`);
        assert.equal(report.body.rows[0].outcome, 'created', `${written}: ${report.body.rows[0].reason}`);
        assert.equal((await contactsMatching(kit, name))[0].phone, e164, `import of ${written}`);

        const sender = `IGSID-${country}-${index}`;
        const text = `mi cel es ${written}`;
        await postWebhook(kit.url, 'instagram', igMessage(sender, { text }));
        const contact = await until(async () => (await contactsMatching(kit, sender))[0], `${sender} stored`);
        assert.equal(contact.id, (await contactsMatching(kit, name))[0].id, `"${text}" joins the imported contact`);

        await api(kit.url, `/api/v1/contacts/${contact.id}`, { token: kit.token, method: 'PATCH', body: { phone: null } });
        const typed = await api(kit.url, `/api/v1/contacts/${contact.id}`, { token: kit.token, method: 'PATCH', body: { phone: written } });
        assert.equal(typed.body.phone, e164, `typed ${written}`);
        // The next way of writing the same number starts from nobody.
        assert.equal((await api(kit.url, `/api/v1/contacts/${contact.id}`, { token: kit.admin, method: 'DELETE' })).status, 204);
      }
    });
  }
});

describe('contacts that already shared a key', () => {
  test('become one when Charla starts, the older surviving with everything of both', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'charla-legacy-'));
    try {
      const first = await startServer({ dir });
      const workspaceId = first.acme.workspace.id;
      // Written the way an older Charla left them: the same phone on two contacts, the same email
      // (another case) on two more, and an agent's edit that never reached the key index.
      const rita = newContact({ workspaceId, name: 'Rita', phone: '+525530055566', identities: [{ channel: 'whatsapp', handle: '5215530055566' }] });
      const ritaIg = newContact({ workspaceId, phone: '+525530055566', identities: [{ channel: 'instagram', handle: 'IGSID-rita' }] });
      const tomas = newContact({ workspaceId, name: 'Tomás', email: 'Tomas@Vidrios.mx' });
      const tomasWeb = newContact({ workspaceId, email: 'tomas@vidrios.mx', identities: [{ channel: 'webchat', handle: 'vis_legacy_tomas' }] });
      await first.server.store.transaction(async (scope) => {
        for (const contact of [rita, ritaIg, tomas, tomasWeb]) await scope.contacts.insert(contact);
        await scope.identity.setKeys(workspaceId, rita.id, ['phone:+525530055566']);
      });
      await first.close();

      const again = await startServer({ dir, dbPath: first.dbPath });
      try {
        const token = first.acme.agent.token;
        const contacts = (await api(again.url, '/api/v1/contacts?limit=100', { token })).body.contacts as any[];
        assert.deepEqual(contacts.map((c) => c.id).sort(), [rita.id, tomas.id].sort());
        const survivor = contacts.find((c) => c.id === rita.id);
        assert.deepEqual(survivor.identities.map((i: any) => i.channel).sort(), ['instagram', 'whatsapp']);
        assert.deepEqual(contacts.find((c) => c.id === tomas.id).identities.map((i: any) => i.channel), ['webchat']);
      } finally {
        await again.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});


describe('the invariant holds after every kind of write', () => {
  let openAi: FakeOpenAi;
  let kit: Kit;
  let events: ChangeEvent[];
  before(async () => {
    openAi = await startFakeOpenAi();
    openAi.fallback = { kind: 'answer', content: modelAnswer };
    kit = await startKit(openAi);
    events = recordEvents(await connectAgent(kit.url, kit.token));
  });
  after(async () => {
    await kit.channels.close();
    await openAi.close();
  });

  // Few people, many ways to name them: random writes keep running into each other's keys.
  const PEOPLE = [0, 1, 2, 3].map((i) => ({ national: `5530${i}${i}1${i}2${i}`, email: `persona${i}@tienda-${i}.mx` }));
  const phoneAsWritten = (national: string, pick: () => number) => {
    const [a, b, c] = [national.slice(0, 2), national.slice(2, 6), national.slice(6)];
    const forms = [`${a} ${b} ${c}`, `(${a}) ${b}-${c}`, `044 ${a} ${b} ${c}`, `+52 ${a} ${b} ${c}`, `+52 1 ${a} ${b} ${c}`];
    return forms[Math.floor(pick() * forms.length)]!;
  };

  for (const seed of [7, 2026]) {
    test(`seed ${seed}: inbound handles, written details, imports and edits never leave a key on two contacts`, async () => {
      const random = seeded(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
      const person = () => pick(PEOPLE);
      const detail = () => (random() < 0.5 ? person().email : phoneAsWritten(person().national, random));
      const played: string[] = [];
      let step = 0;
      const message = async (channel: 'whatsapp' | 'instagram') => {
        step += 1;
        const text = `[s${seed}-${step}] ${random() < 0.7 ? `mis datos: ${detail()}` : 'hola'}`;
        const payload = channel === 'whatsapp'
          ? waText(`521${person().national}`, null, text)
          : igMessage(`IGSID-${seed}-${Math.floor(random() * 6)}`, { text });
        await postWebhook(kit.url, channel, payload);
        await until(async () => events.some((e) => e.type === 'message.upserted' && (e.data as any).message.body === text), text);
        return `${channel}: ${text}`;
      };
      const writes: Array<() => Promise<string>> = [
        () => message('whatsapp'),
        () => message('instagram'),
        async () => {
          const rows = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
            const email = random() < 0.6 ? person().email.toUpperCase() : '';
            const phone = random() < 0.6 || !email ? phoneAsWritten(person().national, random) : '';
            return `Importado,${email},"${phone}"`;
          });
          const report = await importCsv(kit, `name,email,phone\n${rows.join('\n')}\n`);
          assert.equal(report.status, 200, JSON.stringify(report.body));
          return `import: ${rows.join(' | ')}`;
        },
        async () => {
          const contacts = await allContacts(kit);
          if (contacts.length === 0) return 'edit: nobody yet';
          const target = pick(contacts);
          const patch = random() < 0.5 ? { email: person().email } : { phone: phoneAsWritten(person().national, random) };
          const edited = await api(kit.url, `/api/v1/contacts/${target.id}`, { token: kit.token, method: 'PATCH', body: patch });
          assert.equal(edited.status, 200, JSON.stringify(edited.body));
          return `edit ${target.id}: ${JSON.stringify(patch)}`;
        },
      ];
      for (let i = 0; i < 24; i += 1) {
        played.push(await pick(writes)());
        const shared = await sharedKeys(kit);
        assert.deepEqual(shared, [], `after:\n${played.join('\n')}`);
      }
      const merges = events.filter((e) => e.type === 'contact.merged').length;
      assert.ok(merges >= 3, `the writes ran into each other's keys (${merges} merges)`);
    });
  }
});
