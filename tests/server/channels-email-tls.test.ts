import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { smtpTlsCaFrom } from '../../server/src/channels/email/index.js';
import { startServer, api, clientId, eventually, type TestServer } from './helpers.js';
import { connectInbox, postMail, selfSignedCertificate, startSmtpSink, textMail, untilMail, type SmtpSink } from '../support/mail.js';

// Two mail servers with certificates of their own making: one speaks TLS from the first byte
// (smtps://), the other offers STARTTLS; the second one's certificate is trusted server-wide
// (what CHARLA_SMTP_TLS_CA gives), the first one's only by the inbox that names it.
const implicitCert = selfSignedCertificate();
const starttlsCert = selfSignedCertificate();
let server: TestServer;
let implicit: SmtpSink;
let starttls: SmtpSink;
let url: string;
let admin: string;
let token: string;

before(async () => {
  implicit = await startSmtpSink({ ...implicitCert, implicit: true });
  starttls = await startSmtpSink({ ...starttlsCert, implicit: false });
  server = await startServer({ server: { jobBackoffMs: 20, smtpTlsCa: starttlsCert.cert } });
  url = server.url;
  admin = server.acme.admin.token;
  token = server.acme.agent.token;
});
after(async () => {
  await server.close();
  await implicit.close();
  await starttls.close();
});

const messagesOf = async (conversationId: string): Promise<any[]> =>
  (await api(url, `/api/v1/conversations/${conversationId}/messages?limit=100`, { token })).body.messages;

async function customerWritesAndIsAnswered(inboxKey: string, to: string, from: string, reply: string): Promise<{ conversationId: string; messageId: string }> {
  const received = await postMail(url, inboxKey, textMail({ from, to, body: 'Hola' }));
  assert.equal(received.body.outcome, 'received');
  const sent = await api(url, `/api/v1/conversations/${received.body.conversationId}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: reply } });
  assert.equal(sent.status, 201);
  return { conversationId: received.body.conversationId, messageId: sent.body.id };
}

test('smtps:// with a self-signed certificate: refused until the inbox trusts its CA (smtpTlsCa), then sent over TLS', async () => {
  const inbox = await connectInbox(url, admin, { smtpUrl: implicit.url });
  const first = await customerWritesAndIsAnswered(inbox.ids.inboxKey, 'support@acme.test', 'tls1@cliente.test', 'No debería salir');
  const failed = await eventually(async () => (await messagesOf(first.conversationId)).find((m) => m.id === first.messageId && m.status === 'failed'), 15_000, 'failed');
  assert.match(failed.error, /self[- ]signed certificate/i, 'the certificate is the reason shown');
  assert.equal(implicit.mails.length, 0, 'nothing was delivered to a server whose certificate is not trusted');

  const saved = await api(url, `/api/v1/channels/email/inboxes/${inbox.ids.inboxKey}`, { token: admin, method: 'PUT', body: { smtpTlsCa: implicitCert.cert } });
  assert.equal(saved.status, 200);
  assert.equal(saved.body.ids.smtpTlsCa, implicitCert.cert.trim(), 'the CA is shown (it is no secret)');
  const second = await customerWritesAndIsAnswered(inbox.ids.inboxKey, 'support@acme.test', 'tls2@cliente.test', 'Ahora sí, por TLS');
  const mail = await untilMail(implicit, 1);
  assert.equal(mail.secure, true, 'delivered over TLS');
  assert.match(mail.parsed.text ?? '', /Ahora sí, por TLS/);
  await eventually(async () => (await messagesOf(second.conversationId)).find((m) => m.id === second.messageId && m.status === 'sent'), 6000, 'sent tick');
});

test('smtp:// upgrades with STARTTLS, verified against the server-wide CA (CHARLA_SMTP_TLS_CA)', async () => {
  const created = await api(url, '/api/v1/channels/email/inboxes', {
    token: admin, method: 'POST', body: { address: 'ventas@acme.test', inboundSecret: 'ventas-secret-0123456789', smtpUrl: starttls.url },
  });
  assert.equal(created.status, 201);
  const reply = await postMail(url, created.body.id, textMail({ from: 'tls3@cliente.test', to: 'ventas@acme.test', body: 'Hola' }), 'ventas-secret-0123456789');
  await api(url, `/api/v1/conversations/${reply.body.conversationId}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'Con STARTTLS' } });
  const mail = await untilMail(starttls, 1);
  assert.equal(mail.secure, true, 'the connection was upgraded before the mail went');
  assert.equal(mail.parsed.from?.address, 'ventas@acme.test');
});

test('CHARLA_SMTP_TLS_CA names a PEM file; a file that cannot be read stops the server with its name', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'charla-ca-'));
  try {
    const path = join(dir, 'ca.pem');
    await writeFile(path, starttlsCert.cert);
    assert.equal(smtpTlsCaFrom({ CHARLA_SMTP_TLS_CA: path }), starttlsCert.cert);
    assert.equal(smtpTlsCaFrom({}), undefined);
    assert.throws(() => smtpTlsCaFrom({ CHARLA_SMTP_TLS_CA: join(dir, 'missing.pem') }), /CHARLA_SMTP_TLS_CA: cannot read .*missing\.pem/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
