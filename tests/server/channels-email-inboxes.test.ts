import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, clientId, eventually, openDatabase, type TestServer } from './helpers.js';
import { connectInbox, INBOX, mailId, postMail, startSmtpSink, textMail, untilMail, type SmtpSink } from '../support/mail.js';

let server: TestServer;
let supportSink: SmtpSink;
let salesSink: SmtpSink;
let url: string;
let admin: string;
let token: string;
let supportKey: string;

const SALES = {
  address: 'sales@acme.test', fromName: 'Acme Sales', signature: 'Ventas Acme', inboundSecret: 'sales-secret-0123456789',
};

before(async () => {
  supportSink = await startSmtpSink();
  salesSink = await startSmtpSink();
  server = await startServer({ server: { jobBackoffMs: 20 } });
  url = server.url;
  admin = server.acme.admin.token;
  token = server.acme.agent.token;
  supportKey = (await connectInbox(url, admin, { smtpUrl: supportSink.url })).ids.inboxKey;
});
after(async () => {
  await server.close();
  await supportSink.close();
  await salesSink.close();
});

const inboxes = async (as = admin) => api(url, '/api/v1/channels/email/inboxes', { token: as });
const messagesOf = async (conversationId: string): Promise<any[]> =>
  (await api(url, `/api/v1/conversations/${conversationId}/messages?limit=100`, { token })).body.messages;

test('inboxes: admins add, list, change and remove them; secrets never shown; bad input changes nothing', async () => {
  const before = await inboxes();
  assert.equal(before.status, 200);
  assert.deepEqual(before.body.inboxes.map((inbox: any) => inbox.ids.address), [INBOX.address], 'the first inbox is the one /channels/email set');
  assert.equal(before.body.inboxes[0].id, supportKey, "an inbox's id is its webhook key");

  assert.equal((await inboxes(token)).status, 403, 'agents cannot list inboxes');
  const byAgent = await api(url, '/api/v1/channels/email/inboxes', { token, method: 'POST', body: { ...SALES, smtpUrl: salesSink.url } });
  assert.equal(byAgent.status, 403, 'agents cannot add inboxes');
  const noSmtp = await api(url, '/api/v1/channels/email/inboxes', { token: admin, method: 'POST', body: { address: 'info@acme.test' } });
  assert.equal(noSmtp.status, 400, 'a new inbox needs SMTP');
  assert.equal(noSmtp.body.error.code, 'invalid_payload');
  const badAddress = await api(url, '/api/v1/channels/email/inboxes', { token: admin, method: 'POST', body: { address: 'ventas', smtpUrl: salesSink.url } });
  assert.equal(badAddress.status, 400, 'an address that is not one is refused');
  const taken = await api(url, '/api/v1/channels/email/inboxes', { token: admin, method: 'POST', body: { address: INBOX.address, smtpUrl: salesSink.url } });
  assert.equal(taken.status, 409, 'two inboxes of a workspace never share an address');
  assert.equal((await inboxes()).body.inboxes.length, 1, 'refused inboxes are not stored');

  const created = await api(url, '/api/v1/channels/email/inboxes', { token: admin, method: 'POST', body: { ...SALES, smtpUrl: salesSink.url } });
  assert.equal(created.status, 201);
  assert.match(created.body.id, /^inb_[0-9a-f]{24}$/);
  assert.equal(created.body.ids.inboxKey, created.body.id);
  assert.equal(created.body.configured, true);
  assert.deepEqual(created.body.secrets, { inboundSecret: true, smtpUrl: true, imapUrl: false });
  assert.ok(!JSON.stringify(created.body).includes('smtp-secret'), 'the SMTP password never leaves');

  const renamed = await api(url, `/api/v1/channels/email/inboxes/${created.body.id}`, { token: admin, method: 'PUT', body: { fromName: 'Ventas' } });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.body.ids.fromName, 'Ventas');
  assert.equal(renamed.body.ids.address, SALES.address, 'what the patch leaves out is kept');
  assert.equal(renamed.body.secrets.smtpUrl, true);
  const clash = await api(url, `/api/v1/channels/email/inboxes/${created.body.id}`, { token: admin, method: 'PUT', body: { address: INBOX.address } });
  assert.equal(clash.status, 409);
  const unknown = await api(url, '/api/v1/channels/email/inboxes/inb_000000000000000000000000', { token: admin, method: 'PUT', body: { fromName: 'x' } });
  assert.equal(unknown.status, 404);
  const strange = await api(url, `/api/v1/channels/email/inboxes/${created.body.id}`, { token: admin, method: 'PUT', body: { smtpTlsCa: 'not a certificate' } });
  assert.equal(strange.status, 400, 'a CA that is not PEM is refused');
  const other = await api(url, `/api/v1/channels/email/inboxes/${created.body.id}`, { token: server.globex.admin.token, method: 'PUT', body: { fromName: 'Globex' } });
  assert.equal(other.status, 404, "another workspace's admin cannot touch the inbox");
  assert.equal((await api(url, `/api/v1/channels/email/inboxes/${created.body.id}`, { token: server.globex.admin.token, method: 'DELETE' })).status, 404);

  const listed = await inboxes();
  assert.deepEqual(listed.body.inboxes.map((inbox: any) => inbox.ids.address), [INBOX.address, SALES.address]);
  assert.equal(listed.body.inboxes[1].ids.fromName, 'Ventas');
  const legacy = await api(url, '/api/v1/channels/email', { token: admin });
  assert.equal(legacy.body.ids.address, INBOX.address, '/channels/email still names the first inbox');
  await api(url, `/api/v1/channels/email/inboxes/${created.body.id}`, { token: admin, method: 'PUT', body: { fromName: SALES.fromName } });
});

test('each inbox receives on its own webhook and secret; a reply leaves from the inbox the customer wrote to, over its own SMTP', async () => {
  const sales = (await inboxes()).body.inboxes.find((inbox: any) => inbox.ids.address === SALES.address);
  assert.ok(sales, 'the sales inbox exists');
  assert.equal((await postMail(url, sales.id, textMail({ from: 'x@cliente.test', to: SALES.address, body: 'hola' }), INBOX.inboundSecret)).status, 403,
    "the support inbox's secret does not open the sales inbox");

  const first = mailId();
  const received = await postMail(url, sales.id, textMail({
    from: 'Marta Gil <marta@cliente.test>', to: SALES.address, subject: 'Cotización 500 piezas', body: '¿Precio por 500?', messageId: first,
  }), SALES.inboundSecret);
  assert.equal(received.body.outcome, 'received');
  const { conversationId } = received.body;
  const [inbound] = await messagesOf(conversationId);
  assert.equal(inbound.content.email.inbox, SALES.address, 'the message says which inbox it came in on');

  const supportBefore = supportSink.mails.length;
  const sent = await api(url, `/api/v1/conversations/${conversationId}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'Son 3 USD cada una.' } });
  assert.equal(sent.status, 201);
  const mail = await untilMail(salesSink, salesSink.mails.length + 1);
  assert.equal(supportSink.mails.length, supportBefore, "nothing went through the support inbox's SMTP");
  assert.equal(mail.parsed.from?.address, SALES.address, 'From is the sales inbox');
  assert.equal(mail.parsed.from?.name, SALES.fromName);
  assert.match(mail.parsed.replyTo?.[0]?.address ?? '', /^sales\+.+@acme\.test$/, 'Reply-To carries the sales token');
  assert.match(mail.parsed.text ?? '', /Son 3 USD cada una\.\n\n-- \nVentas Acme/, "the sales inbox's signature");
  assert.equal(mail.header('x-charla-loop'), sales.id);
  assert.equal(mail.parsed.inReplyTo, first);
  await eventually(async () => (await messagesOf(conversationId)).find((m) => m.id === sent.body.id && m.status === 'sent'), 6000, 'sent tick');

  // The answer to the sales token joins the conversation, even when it arrives through the support inbox.
  const byToken = await postMail(url, supportKey, textMail({ from: 'marta@cliente.test', to: mail.parsed.replyTo![0]!.address!, body: 'Trato hecho' }));
  assert.equal(byToken.body.conversationId, conversationId, 'joined by the sales Reply-To token');

  // Mail one inbox sent, arriving at the other, is a loop.
  const echo = await postMail(url, supportKey, textMail({ from: SALES.address, to: INBOX.address, body: 'copia' }));
  assert.equal(echo.body.outcome, 'loop');

  // The support inbox still answers from support@.
  const support = await postMail(url, supportKey, textMail({ from: 'pablo@cliente.test', body: 'Mi pedido no llegó' }));
  const salesBefore = salesSink.mails.length;
  await api(url, `/api/v1/conversations/${support.body.conversationId}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'Lo revisamos.' } });
  const supportMail = await untilMail(supportSink, supportSink.mails.length + 1);
  assert.equal(supportMail.parsed.from?.address, INBOX.address);
  assert.equal(salesSink.mails.length, salesBefore, "nothing went through the sales inbox's SMTP");
});

test('a removed inbox no longer receives; its conversations answer from the first inbox', async () => {
  const created = await api(url, '/api/v1/channels/email/inboxes', {
    token: admin, method: 'POST', body: { address: 'info@acme.test', inboundSecret: 'info-secret-0123456789', smtpUrl: salesSink.url },
  });
  assert.equal(created.status, 201);
  const received = await postMail(url, created.body.id, textMail({ from: 'ines@cliente.test', to: 'info@acme.test', body: 'Info por favor' }), 'info-secret-0123456789');
  assert.equal(received.body.outcome, 'received');
  const removed = await api(url, `/api/v1/channels/email/inboxes/${created.body.id}`, { token: admin, method: 'DELETE' });
  assert.equal(removed.status, 204);
  assert.equal((await api(url, `/api/v1/channels/email/inboxes/${created.body.id}`, { token: admin, method: 'DELETE' })).status, 404);
  assert.equal((await postMail(url, created.body.id, textMail({ from: 'ines@cliente.test', body: 'otra' }), 'info-secret-0123456789')).status, 403);
  assert.ok(!(await inboxes()).body.inboxes.some((inbox: any) => inbox.id === created.body.id), 'gone from the list');
  await api(url, `/api/v1/conversations/${received.body.conversationId}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'Aquí la info.' } });
  const mail = await untilMail(supportSink, supportSink.mails.length + 1);
  assert.equal(mail.parsed.from?.address, INBOX.address, 'the first inbox answers for a removed one');
});

test('migration 340: the one inbox a workspace had keeps its webhook key, secrets and IMAP cursor', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'charla-inboxes-'));
  const dbPath = join(dir, 'charla.db');
  try {
    const first = await startServer({ dbPath, dir });
    const adminToken = first.acme.admin.token;
    const workspaceId = first.acme.workspace.id;
    const key = (await connectInbox(first.url, adminToken, { smtpUrl: supportSink.url })).ids.inboxKey;
    await first.close();
    // The database as it was before: the inbox in channel_settings, its cursor by workspace.
    const db = await openDatabase(dbPath);
    try {
      await db.exec(`CREATE TABLE email_cursors (
        workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        uid_validity TEXT NOT NULL, last_uid INTEGER NOT NULL, updated_at TEXT NOT NULL)`);
      await db.run('INSERT INTO email_cursors (workspace_id, uid_validity, last_uid, updated_at) VALUES (?, ?, ?, ?)', [workspaceId, '77', 42, new Date().toISOString()]);
      await db.run(`INSERT INTO channel_settings (workspace_id, channel, account_id, settings, updated_at)
        SELECT workspace_id, 'email', id, settings, updated_at FROM email_inboxes`);
      await db.exec('DROP TABLE email_inbox_cursors');
      await db.exec('DROP TABLE email_inboxes');
      await db.run('DELETE FROM schema_migrations WHERE version = ?', [340]);
    } finally {
      await db.close();
    }
    const second = await startServer({ dbPath, dir });
    try {
      const view = await api(second.url, '/api/v1/channels/email', { token: adminToken });
      assert.equal(view.body.ids.inboxKey, key, 'the webhook URL is unchanged');
      assert.equal(view.body.ids.address, INBOX.address);
      assert.deepEqual(view.body.secrets, { inboundSecret: true, smtpUrl: true, imapUrl: false });
      const received = await postMail(second.url, key, textMail({ from: 'tras@cliente.test', body: 'después de migrar' }));
      assert.equal(received.body.outcome, 'received', 'the old secret still opens the webhook');
      const moved = await openDatabase(dbPath);
      try {
        const cursor = await moved.get<{ uid_validity: string; last_uid: number }>('SELECT uid_validity, last_uid FROM email_inbox_cursors WHERE inbox_id = ?', [key]);
        assert.deepEqual({ ...cursor, last_uid: Number(cursor?.last_uid) }, { uid_validity: '77', last_uid: 42 }, 'the IMAP cursor moved to the inbox');
        const left = await moved.get<{ n: number }>(`SELECT COUNT(*) AS n FROM channel_settings WHERE channel = 'email'`);
        assert.equal(Number(left?.n), 0, 'no email settings are left in channel_settings');
      } finally {
        await moved.close();
      }
    } finally {
      await second.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
