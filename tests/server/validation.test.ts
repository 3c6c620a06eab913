import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AgentClientToServer, VisitorClientToServer } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import {
  api, clientId, connectAgent, connectError, connectVisitor, emitAck, request, startServer, visitorWrites, type TestServer,
} from './helpers.js';

let t: TestServer;
let agent: Socket;
let visitor: Socket;
let conversationId: string;
let contactId: string;
let pipelineId: string;
let dealId: string;
let taskId: string;

before(async () => {
  t = await startServer();
  agent = await connectAgent(t.url, t.acme.agent.token);
  ({ visitor, conversationId, contactId } = await visitorWrites(t, t.acme));
  pipelineId = (await api(t.url, '/api/v1/pipelines', { token: t.acme.admin.token, method: 'POST', body: { name: 'Sales', stages: [{ name: 'Lead' }] } })).body.id;
  dealId = (await request(agent, 'deal.create', { pipelineId, title: 'Deal', currency: 'MXN', contactId })).id;
  taskId = (await request(agent, 'task.create', { title: 'Call back', dealId })).id;
});
after(() => t.close());

const tooLong = 'x'.repeat(4097);
const NON_OBJECTS: Array<[string, unknown]> = [['a string', 'hello'], ['a number', 42], ['null', null], ['an array', [1, 2]]];

/**
 * For each event of a namespace (the type makes the table cover all of them): a valid payload,
 * and invalid ones with what the error message must say.
 */
type Cases<E extends string> = Record<
  E,
  {
    valid: () => Record<string, unknown>;
    invalid: () => Array<[string, unknown, RegExp]>;
    /** The valid payload passes validation but this setup refuses it for another reason, saying this. */
    refusedWith?: RegExp;
  }
>;

const agentCases: Cases<keyof AgentClientToServer> = {
  'session.get': { valid: () => ({}), invalid: () => [] },
  sync: {
    valid: () => ({ since: 0 }),
    invalid: () => [
      ['missing since', {}, /since/],
      ['negative since', { since: -1 }, /since/],
      ['since as text', { since: '5' }, /since/],
    ],
  },
  'conversations.list': {
    valid: () => ({ status: 'open' }),
    invalid: () => [
      ['unknown status', { status: 'closed' }, /status/],
      ['limit too large', { limit: 1000 }, /limit/],
      ['limit as text', { limit: '10' }, /limit/],
      ['query too long', { query: 'q'.repeat(201) }, /query/],
      ['unknown channel', { channel: 'fax' }, /channel/],
    ],
  },
  'conversation.get': {
    valid: () => ({ conversationId }),
    invalid: () => [['missing conversationId', {}, /conversationId/], ['empty id', { conversationId: '' }, /conversationId/]],
  },
  'conversation.update': {
    valid: () => ({ conversationId, priority: 'low' }),
    invalid: () => [
      ['nothing to update', { conversationId }, /Nothing to update/],
      ['unknown status', { conversationId, status: 'done' }, /status/],
      ['labels not a list', { conversationId, labels: 'vip' }, /labels/],
      ['empty label', { conversationId, labels: ['  '] }, /labels\.0/],
    ],
  },
  'conversation.read': {
    valid: () => ({ conversationId }),
    invalid: () => [['missing conversationId', {}, /conversationId/], ['id as number', { conversationId: 7 }, /conversationId/]],
  },
  'messages.list': {
    valid: () => ({ conversationId }),
    invalid: () => [['missing conversationId', { limit: 5 }, /conversationId/], ['zero limit', { conversationId, limit: 0 }, /limit/]],
  },
  'message.send': {
    valid: () => ({ conversationId, clientId: clientId(), body: 'Valid reply' }),
    invalid: () => [
      ['missing body', { conversationId, clientId: clientId() }, /body/],
      ['empty body', { conversationId, clientId: clientId(), body: '   ' }, /body: A message cannot be empty/],
      ['oversize body', { conversationId, clientId: clientId(), body: tooLong }, /body: A message can be at most 4096 characters/],
      ['body as number', { conversationId, clientId: clientId(), body: 12 }, /body/],
      ['missing clientId', { conversationId, body: 'hi' }, /clientId/],
      ['unsafe clientId', { conversationId, clientId: 'has spaces in it', body: 'hi' }, /clientId must be URL-safe/],
      ['private as text', { conversationId, clientId: clientId(), body: 'hi', private: 'yes' }, /private/],
    ],
  },
  'contact.get': {
    valid: () => ({ contactId }),
    invalid: () => [['missing contactId', {}, /contactId/]],
  },
  'note.create': {
    valid: () => ({ contactId, body: 'Prefers email' }),
    invalid: () => [
      ['empty body', { contactId, body: '' }, /body: A message cannot be empty/],
      ['oversize body', { contactId, body: tooLong }, /body/],
      ['missing contactId', { body: 'note' }, /contactId/],
    ],
  },
  'canned.list': { valid: () => ({}), invalid: () => [] },
  'templates.list': { valid: () => ({}), invalid: () => [] },
  'contacts.search': {
    valid: () => ({ query: 'a' }),
    invalid: () => [['empty query', { query: '  ' }, /query/], ['limit too large', { query: 'a', limit: 500 }, /limit/]],
  },
  'contact.mergePreview': {
    valid: () => ({ contactId, mergeId: 'ct_nobody' }),
    refusedWith: /not found/i,
    invalid: () => [['itself', { contactId, mergeId: contactId }, /itself/], ['missing mergeId', { contactId }, /mergeId/]],
  },
  'contact.merge': {
    // Well formed; the other contact does not exist, so nothing is merged here (merges are tested elsewhere).
    valid: () => ({ contactId, mergeId: 'ct_nobody' }),
    refusedWith: /not found/i,
    invalid: () => [['itself', { contactId, mergeId: contactId }, /itself/], ['mergeId as number', { contactId, mergeId: 5 }, /mergeId/]],
  },
  'contact.merges': { valid: () => ({ contactId }), invalid: () => [['missing contactId', {}, /contactId/]] },
  'contact.unmerge': {
    // Well formed; no such merge exists, so nothing is undone here (tests/server/unmerge.test.ts undoes them).
    valid: () => ({ contactId, mergeId: 'mrg_nothing' }),
    refusedWith: /not found/i,
    invalid: () => [['missing mergeId', { contactId }, /mergeId/], ['mergeId as number', { contactId, mergeId: 7 }, /mergeId/]],
  },
  'contacts.duplicates': {
    valid: () => ({ contactId }),
    invalid: () => [['limit too large', { limit: 1000 }, /limit/], ['unknown field', { name: 'Ana' }, /name/]],
  },
  'contacts.dismissDuplicate': {
    valid: () => ({ contactId, otherId: 'ct_nobody' }),
    refusedWith: /not found/i,
    invalid: () => [['itself', { contactId, otherId: contactId }, /itself/], ['missing otherId', { contactId }, /otherId/]],
  },
  'template.send': {
    // Well formed, but this is a webchat conversation: refused for that, not for its shape.
    valid: () => ({ conversationId, clientId: 'c_12345678', name: 'order_update', language: 'es_MX' }),
    refusedWith: /Templates are sent on WhatsApp conversations only/,
    invalid: () => [
      ['missing name', { conversationId, clientId: 'c_12345678', language: 'es_MX' }, /name/],
      ['parameters not a list', { conversationId, clientId: 'c_12345678', name: 'x', language: 'es_MX', parameters: 'Ana' }, /parameters/],
    ],
  },
  'notifications.list': { valid: () => ({}), invalid: () => [] },
  'notifications.read': {
    valid: () => ({}),
    invalid: () => [['empty ids', { ids: [] }, /ids/], ['ids not a list', { ids: 'all' }, /ids/]],
  },
  'contact.profile': {
    valid: () => ({ contactId }),
    invalid: () => [['missing contactId', {}, /contactId/], ['id as number', { contactId: 7 }, /contactId/]],
  },
  'contact.update': {
    valid: () => ({ contactId, patch: { name: 'Ana' } }),
    invalid: () => [
      ['missing patch', { contactId }, /patch/],
      ['empty patch', { contactId, patch: {} }, /Nothing to update/],
      ['bad email', { contactId, patch: { email: 'ana@' } }, /email/],
      ['unknown field', { contactId, patch: { vip: true } }, /vip|Unrecognized/],
    ],
  },
  'pipelines.list': { valid: () => ({}), invalid: () => [] },
  'deals.list': {
    valid: () => ({ pipelineId }),
    invalid: () => [['unknown status', { status: 'maybe' }, /status/], ['limit too large', { limit: 10_000 }, /limit/]],
  },
  'deal.get': { valid: () => ({ dealId }), invalid: () => [['missing dealId', {}, /dealId/]] },
  'metrics.get': {
    valid: () => ({ name: 'win-rate', from: '2026-01-01T00:00:00Z' }),
    invalid: () => [['unknown metric', { name: 'happiness' }, /name/], ['bad date', { name: 'volume', from: 'yesterday' }, /from/], ['target as text', { name: 'forecast', target: '5' }, /target/]],
  },
  'deal.undo': { valid: () => ({ dealId }), invalid: () => [['missing dealId', {}, /dealId/]] },
  'deal.create': {
    valid: () => ({ pipelineId, title: 'Twenty mugs', amount: 5780, currency: 'mxn' }),
    invalid: () => [
      ['negative amount', { pipelineId, title: 'x', amount: -1, currency: 'MXN' }, /amount cannot be negative/],
      ['fractional cents', { pipelineId, title: 'x', amount: 1.234, currency: 'MXN' }, /amount can have at most two decimals/],
      ['amount as text', { pipelineId, title: 'x', amount: '10', currency: 'MXN' }, /amount/],
      ['bad currency', { pipelineId, title: 'x', amount: 1, currency: 'pesos' }, /currency must be a three-letter ISO 4217 code/],
      ['empty title', { pipelineId, title: ' ', currency: 'MXN' }, /title cannot be empty/],
      ['bad close date', { pipelineId, title: 'x', currency: 'MXN', expectedCloseDate: 'soon' }, /expectedCloseDate/],
    ],
  },
  'deal.update': {
    valid: () => ({ dealId, amount: 100 }),
    invalid: () => [['nothing to update', { dealId }, /Nothing to update/], ['infinite amount', { dealId, amount: 1e309 }, /amount/]],
  },
  'tasks.list': {
    valid: () => ({ view: 'today' }),
    invalid: () => [['unknown view', { view: 'someday' }, /view/], ['tzOffset out of range', { tzOffset: 2000 }, /tzOffset/]],
  },
  'task.create': {
    valid: () => ({ title: 'Send the quote', dueAt: '2030-01-01T10:00:00Z' }),
    invalid: () => [['no title', { dueAt: '2030-01-01T10:00:00Z' }, /title/], ['bad due date', { title: 'x', dueAt: 'tomorrow' }, /dueAt/]],
  },
  'task.update': {
    valid: () => ({ taskId, done: true }),
    invalid: () => [['nothing to update', { taskId }, /Nothing to update/], ['done as text', { taskId, done: 'yes' }, /done/]],
  },
  'contact.commerce': { valid: () => ({ contactId }), invalid: () => [['missing contactId', {}, /contactId/]] },
  'timeline.list': {
    valid: () => ({ contactId }),
    invalid: () => [['neither contact nor company', {}, /Give either contactId or companyId/], ['limit too large', { contactId, limit: 500 }, /limit/]],
  },
  typing: { valid: () => ({ conversationId }), invalid: () => [['missing conversationId', {}, /conversationId/]] },
  'ai.insight': { valid: () => ({ conversationId }), invalid: () => [['missing conversationId', {}, /conversationId/]] },
  'ai.contactInsights': { valid: () => ({ contactId }), invalid: () => [['contactId as a number', { contactId: 5 }, /contactId/]] },
  'ai.suggestReplies': {
    valid: () => ({ conversationId, count: 2 }),
    invalid: () => [
      ['missing conversationId', { count: 1 }, /conversationId/],
      ['more than 3 suggestions', { conversationId, count: 4 }, /count/],
    ],
  },
  'ai.quoteDraft': {
    valid: () => ({ conversationId }),
    invalid: () => [['missing conversationId', {}, /conversationId/]],
  },
  'quote.send': {
    valid: () => ({ conversationId, clientId: clientId(), currency: 'MXN', items: [{ description: 'Prensa francesa', quantity: 2, unitPrice: 350 }] }),
    invalid: () => [
      ['no lines', { conversationId, clientId: clientId(), currency: 'MXN', items: [] }, /items: a quote needs at least one line/],
      ['a negative price', { conversationId, clientId: clientId(), currency: 'MXN', items: [{ description: 'x', quantity: 1, unitPrice: -1 }] }, /unitPrice cannot be negative/],
      ['no quantity', { conversationId, clientId: clientId(), currency: 'MXN', items: [{ description: 'x', quantity: 0, unitPrice: 1 }] }, /quantity must be more than 0/],
      ['a blank description', { conversationId, clientId: clientId(), currency: 'MXN', items: [{ description: ' ', quantity: 1, unitPrice: 1 }] }, /description cannot be empty/],
      ['an unknown currency', { conversationId, clientId: clientId(), currency: 'ZZZ', items: [{ description: 'x', quantity: 1, unitPrice: 1 }] }, /currency/],
    ],
  },
  'ai.followUps': {
    valid: () => ({ conversationId }),
    invalid: () => [['missing conversationId', {}, /conversationId/]],
  },
  'ai.followUp.approve': {
    valid: () => ({ id: 'fu_missing', clientId: clientId() }),
    invalid: () => [['missing clientId', { id: 'fu_missing' }, /clientId/], ['an empty edit', { id: 'fu_missing', clientId: clientId(), body: ' ' }, /body cannot be empty/]],
    refusedWith: /No such follow-up/,
  },
  'ai.followUp.dismiss': {
    valid: () => ({ id: 'fu_missing' }),
    invalid: () => [['missing id', {}, /id/]],
    refusedWith: /No such follow-up/,
  },
  'ai.settings.get': { valid: () => ({}), invalid: () => [] },
  'ai.settings.update': {
    valid: () => ({ qualifyThreshold: 60 }),
    invalid: () => [['threshold above 100', { qualifyThreshold: 101 }, /qualifyThreshold/]],
    refusedWith: /needs the admin role/,
  },
  'presence.list': { valid: () => ({}), invalid: () => [] },
  'presence.set': {
    valid: () => ({ status: 'online' }),
    invalid: () => [['unknown status', { status: 'busy' }, /status/], ['offline is not chosen', { status: 'offline' }, /status/]],
  },
};

const visitorCases: Cases<keyof VisitorClientToServer> = {
  'session.get': { valid: () => ({}), invalid: () => [] },
  sync: { valid: () => ({ since: 0 }), invalid: () => [['missing since', {}, /since/], ['fractional since', { since: 1.5 }, /since/]] },
  'messages.list': { valid: () => ({}), invalid: () => [['limit too large', { limit: 101 }, /limit/], ['before empty', { before: '' }, /before/]] },
  'message.send': {
    valid: () => ({ clientId: clientId(), body: 'Valid question' }),
    invalid: () => [
      ['missing body', { clientId: clientId() }, /body/],
      ['empty body', { clientId: clientId(), body: '\n' }, /body: A message cannot be empty/],
      ['oversize body', { clientId: clientId(), body: tooLong }, /body: A message can be at most 4096 characters/],
      ['short clientId', { clientId: 'abc', body: 'hi' }, /clientId/],
      ['a conversationId (visitors cannot choose one)', { clientId: clientId(), body: 'hi', conversationId }, /conversationId/],
    ],
  },
  'profile.update': {
    valid: () => ({ name: 'Pat' }),
    invalid: () => [['invalid email', { email: 'not-an-email' }, /email/], ['empty name', { name: '  ' }, /name/]],
  },
  identify: {
    valid: () => ({ name: 'Pat' }),
    invalid: () => [
      ['a hash without its id', { hash: 'a'.repeat(64) }, /needs the id/],
      ['a hash that is not hex', { id: 'u1', hash: 'zz' }, /hash/],
      ['invalid email', { id: 'u1', email: 'nope' }, /email/],
      ['letters for a phone', { phone: 'call me' }, /phone/],
    ],
  },
  'prechat.submit': { valid: () => ({}), invalid: () => [['invalid email', { email: 'x@' }, /email/]] },
  typing: { valid: () => ({}), invalid: () => [] },
  'csat.submit': {
    valid: () => ({ surveyId: 'csat_none', rating: 5 }),
    invalid: () => [
      ['rating 0', { surveyId: 'csat_none', rating: 0 }, /rating must be from 1 to 5/],
      ['rating 6', { surveyId: 'csat_none', rating: 6 }, /rating must be from 1 to 5/],
      ['rating 4.5', { surveyId: 'csat_none', rating: 4.5 }, /whole number/],
      ['comment too long', { surveyId: 'csat_none', rating: 3, comment: 'x'.repeat(1001) }, /at most 1000/],
      ['no survey', { rating: 3 }, /surveyId/],
    ],
    refusedWith: /No survey of your conversations/,
  },
};

function checkEveryEvent<E extends string>(namespace: string, cases: Cases<E>, socket: () => Socket) {
  for (const [event, { valid, invalid, refusedWith }] of Object.entries(cases) as Array<[E, Cases<E>[E]]>) {
    test(`${namespace} ${event}: invalid payloads get invalid_payload and the server keeps serving`, async () => {
      const attempts: Array<[string, unknown, RegExp]> = [
        ...invalid(),
        ...NON_OBJECTS.map(([label, payload]): [string, unknown, RegExp] => [label, payload, /must be an object/]),
        ['no payload at all', undefined, /must be an object/],
        ['an unknown extra key', { ...valid(), sneaky: true }, /sneaky/],
      ];
      for (const [label, payload, expected] of attempts) {
        const ack = await emitAck(socket(), event, payload);
        assert.equal(ack.ok, false, `${label} must be refused`);
        if (ack.ok) continue;
        assert.equal(ack.error.code, 'invalid_payload', label);
        assert.match(ack.error.message, expected, label);
      }
      // A request without an acknowledgement callback is harmless.
      socket().emit(event, valid());
      socket().emit(event, 'garbage');
      const ack = await emitAck(socket(), event, valid());
      if (refusedWith) assert.match(ack.ok ? 'accepted' : ack.error.message, refusedWith, `the valid payload gets past validation: ${JSON.stringify(ack)}`);
      else assert.equal(ack.ok, true, `the valid payload still works: ${JSON.stringify(ack)}`);
    });
  }
}

describe('agent namespace', () => checkEveryEvent('/agent', agentCases, () => agent));
describe('visitor namespace', () => checkEveryEvent('/visitor', visitorCases, () => visitor));

test('an ack argument that is not a function does not crash the server', async () => {
  agent.emit('session.get', {}, 'not a function');
  visitor.emit('message.send', { clientId: clientId(), body: 'x' }, 12);
  agent.emit('no.such.event', {});
  const session = await request(agent, 'session.get', {});
  assert.equal(session.agent.id, t.acme.agent.agent.id);
});

describe('handshake', () => {
  test('agents need a valid token', async () => {
    assert.deepEqual(await connectError(t.url, '/agent', {}), { message: 'An agent token is required', code: 'unauthorized' });
    assert.equal((await connectError(t.url, '/agent', { token: 'z'.repeat(43) })).code, 'unauthorized');
    assert.equal((await connectError(t.url, '/agent', { token: 42 })).code, 'unauthorized');
  });

  test('visitors need a known widget key', async () => {
    assert.deepEqual(await connectError(t.url, '/visitor', { workspace: 'nope' }), {
      message: 'No workspace has the widget key "nope"',
      code: 'not_found',
    });
    assert.equal((await connectError(t.url, '/visitor', {})).code, 'invalid_payload');
    const ok = await connectVisitor(t.url, t.acme.workspace.widgetKey, 'short');
    assert.ok(ok.connected, 'a malformed visitor token just starts a new visitor');
  });
});

describe('roles', () => {
  test('a viewer reads but cannot send, update or write notes', async () => {
    const viewer = await connectAgent(t.url, t.acme.viewer.token);
    for (const [event, payload] of [
      ['message.send', { conversationId, clientId: clientId(), body: 'Hi' }],
      ['message.send', { conversationId, clientId: clientId(), body: 'note', private: true }],
      ['conversation.update', { conversationId, status: 'resolved' }],
      ['note.create', { contactId, body: 'Nice customer' }],
    ] as const) {
      const ack = await emitAck(viewer, event, payload);
      assert.equal(ack.ok, false, event);
      if (!ack.ok) assert.equal(ack.error.code, 'forbidden', event);
    }
    const page = await request(viewer, 'messages.list', { conversationId });
    assert.ok(page.messages.every((m: { body: string }) => m.body !== 'Hi'), 'nothing was sent');
    assert.equal((await request(viewer, 'conversation.get', { conversationId })).conversation.status, 'open');
    const read = await request(viewer, 'conversation.read', { conversationId });
    assert.equal(read.unreadCount, 0);
  });
});
