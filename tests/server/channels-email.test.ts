import assert from 'node:assert/strict';
import { readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startServer, api, clientId, eventually, type TestServer } from './helpers.js';
import { connectInbox, INBOX, mailId, postMail, startSmtpSink, textMail, untilMail, type SmtpSink } from '../support/mail.js';
import { pruneUploads, UPLOAD_KEEP_MS } from '../../server/src/privacy/retention.js';

let server: TestServer;
let sink: SmtpSink;
let url: string;
let token: string;
let inboxKey: string;

before(async () => {
  sink = await startSmtpSink();
  server = await startServer({ server: { jobBackoffMs: 20, emailMaxBytes: 2 * 1024 * 1024 } });
  url = server.url;
  token = server.acme.agent.token;
  const view = await connectInbox(url, server.acme.admin.token, { smtpUrl: sink.url });
  inboxKey = view.ids.inboxKey;
});
after(async () => {
  await server.close();
  await sink.close();
});

const messagesOf = async (conversationId: string): Promise<any[]> =>
  (await api(url, `/api/v1/conversations/${conversationId}/messages?limit=100`, { token })).body.messages;
const conversation = async (id: string) => (await api(url, `/api/v1/conversations/${id}`, { token })).body.conversation;

test('settings: admins only, secrets never shown, the webhook key is made once, bad input refused', async () => {
  const view = await api(url, '/api/v1/channels/email', { token: server.acme.admin.token });
  assert.equal(view.status, 200);
  assert.equal(view.body.configured, true, 'address and SMTP make it configured');
  assert.equal(view.body.ids.address, INBOX.address);
  assert.equal(view.body.ids.inboxKey, inboxKey);
  assert.deepEqual(view.body.secrets, { inboundSecret: true, smtpUrl: true, imapUrl: false });
  assert.ok(!JSON.stringify(view.body).includes('smtp-secret'), 'the SMTP password never leaves');
  assert.equal((await api(url, '/api/v1/channels/email', { token })).status, 403, 'agents cannot read it');
  const bad = await api(url, '/api/v1/channels/email', { token: server.acme.admin.token, method: 'PUT', body: { smtpUrl: 'http://x', address: 'nope' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_payload');
  const again = await connectInbox(url, server.acme.admin.token, { smtpUrl: sink.url });
  assert.equal(again.ids.inboxKey, inboxKey, 'saving again keeps the webhook URL');
});

test('wrong or missing inbox secrets and unknown inboxes are refused, nothing stored', async () => {
  const raw = textMail({ from: 'Intruso <intruso@evil.test>', body: 'hola' });
  assert.equal((await postMail(url, inboxKey, raw, 'wrong-secret-wrong-secret')).status, 403);
  assert.equal((await postMail(url, inboxKey, raw, null)).status, 403);
  assert.equal((await postMail(url, 'inb_unknown', raw)).status, 403);
  const contacts = await api(url, '/api/v1/contacts?query=intruso', { token });
  assert.equal(contacts.body.contacts.length, 0, 'no contact from a refused delivery');
});

test('a customer emails, the agent answers over SMTP with threading headers, the answer joins the same conversation', async () => {
  const first = mailId();
  const received = await postMail(url, inboxKey, textMail({
    from: 'Lucía Pérez <Lucia.Perez@cliente.test>', subject: 'Pedido de 20 tazas', body: 'Hola, ¿tienen 20 tazas azules?', messageId: first,
  }));
  assert.equal(received.status, 200);
  assert.equal(received.body.outcome, 'received');
  const { conversationId } = received.body;
  const opened = await conversation(conversationId);
  assert.equal(opened.channel, 'email');
  const { contact } = (await api(url, `/api/v1/conversations/${conversationId}`, { token })).body;
  assert.equal(contact.name, 'Lucía Pérez');
  assert.equal(contact.email, 'lucia.perez@cliente.test', 'the sender address is on the contact');
  const [inbound] = await messagesOf(conversationId);
  assert.equal(inbound.body, 'Hola, ¿tienen 20 tazas azules?');
  assert.equal(inbound.content.email.subject, 'Pedido de 20 tazas');

  const sent = await api(url, `/api/v1/conversations/${conversationId}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'Sí, tenemos 20 en azul.' } });
  assert.equal(sent.status, 201);
  assert.equal(sent.body.status, 'pending');
  const mail = await untilMail(sink, sink.mails.length + 1);
  assert.deepEqual(mail.to, ['lucia.perez@cliente.test']);
  assert.equal(mail.parsed.subject, 'Re: Pedido de 20 tazas');
  assert.equal(mail.parsed.inReplyTo, first);
  assert.ok(mail.parsed.references?.includes(first), 'References carries the customer message');
  assert.match(mail.parsed.text ?? '', /Sí, tenemos 20 en azul\.\n\n-- \nAcme · support@acme\.test/);
  assert.match(mail.parsed.from && 'address' in mail.parsed.from ? String(mail.parsed.from.address) : '', /support@acme\.test/);
  const replyTo = mail.parsed.replyTo?.[0]?.address ?? '';
  assert.match(replyTo, /^support\+.+@acme\.test$/, 'Reply-To carries the token');
  const ownId = mail.parsed.messageId!;
  assert.ok(ownId.endsWith('@acme.test>'), 'Charla names its own Message-ID');
  const delivered = await eventually(async () => (await messagesOf(conversationId)).find((m) => m.id === sent.body.id && m.status === 'sent'), 6000, 'sent tick');
  assert.equal(delivered.channelMessageId, ownId);

  // The customer's client keeps only In-Reply-To.
  const answer = await postMail(url, inboxKey, textMail({
    from: 'lucia.perez@cliente.test', subject: 'Re: Pedido de 20 tazas', inReplyTo: ownId,
    body: 'Perfecto, las quiero.\r\n\r\nEl lun, 1 dic 2026 a las 10:00, Acme Support <support@acme.test> escribió:\r\n> Sí, tenemos 20 en azul.',
  }));
  assert.equal(answer.body.conversationId, conversationId);
  const last = (await messagesOf(conversationId)).at(-1);
  assert.equal(last.body, 'Perfecto, las quiero.', 'the quoted history is cut off');
  assert.equal(last.content.email.quoted, true);

  // Another client drops every header but writes to the Reply-To address.
  const byToken = await postMail(url, inboxKey, textMail({ from: 'lucia.perez@cliente.test', to: replyTo, subject: 'otra cosa', body: '¿Y envío?' }));
  assert.equal(byToken.body.conversationId, conversationId, 'joined by the Reply-To token');
  // Only References (the In-Reply-To names a message Charla never saw).
  const byReferences = await postMail(url, inboxKey, textMail({
    from: 'lucia.perez@cliente.test', inReplyTo: '<unknown@elsewhere>', references: `${first} <unknown@elsewhere>`, body: 'por References',
  }));
  assert.equal(byReferences.body.conversationId, conversationId, 'joined by References');
  // Same subject, no headers: a new conversation (never threaded by subject).
  const sameSubject = await postMail(url, inboxKey, textMail({ from: 'lucia.perez@cliente.test', subject: 'Re: Pedido de 20 tazas', body: 'nuevo hilo' }));
  assert.notEqual(sameSubject.body.conversationId, conversationId);
  // A forged token (another conversation id, a made-up signature) threads nothing.
  const forged = await postMail(url, inboxKey, textMail({ from: 'x@cliente.test', to: `support+${conversationId}.aaaaaaaaaaaaaaaa@acme.test`, body: 'forjado' }));
  assert.notEqual(forged.body.conversationId, conversationId);
});

test('dedup on Message-ID; Charla’s own mail coming back is refused', async () => {
  const id = mailId();
  const raw = textMail({ from: 'dup@cliente.test', body: 'una vez', messageId: id });
  assert.equal((await postMail(url, inboxKey, raw)).body.outcome, 'received');
  const again = await postMail(url, inboxKey, raw);
  assert.equal(again.status, 200);
  assert.equal(again.body.outcome, 'duplicate');
  const loop = await postMail(url, inboxKey, textMail({ from: INBOX.address, to: 'dup@cliente.test', body: 'eco' }));
  assert.equal(loop.body.outcome, 'loop');
  const marked = await postMail(url, inboxKey, textMail({ from: 'forwarder@cliente.test', body: 'eco', headers: { 'X-Charla-Loop': inboxKey } }));
  assert.equal(marked.body.outcome, 'loop');
});

test('auto-replies and bounces are recorded in the thread but neither reopen it nor make the customer waiting', async () => {
  const id = mailId();
  const { body } = await postMail(url, inboxKey, textMail({ from: 'auto@cliente.test', body: 'pregunta', messageId: id }));
  const conversationId = body.conversationId;
  await api(url, `/api/v1/conversations/${conversationId}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'respuesta' } });
  const reply = await untilMail(sink, sink.mails.length + 1);
  await eventually(async () => (await conversation(conversationId)).waitingSince === null, 4000, 'answered');
  const resolved = await api(url, `/api/v1/conversations/${conversationId}`, { token, method: 'PATCH', body: { status: 'resolved' } });
  assert.equal(resolved.status, 200);
  const vacation = await postMail(url, inboxKey, textMail({
    from: 'auto@cliente.test', subject: 'Fuera de la oficina', inReplyTo: reply.parsed.messageId!, body: 'Estoy de vacaciones', headers: { 'Auto-Submitted': 'auto-replied' },
  }));
  assert.equal(vacation.body.outcome, 'received');
  assert.equal(vacation.body.conversationId, conversationId);
  const bounceRaw = [
    'From: Mail Delivery System <MAILER-DAEMON@mx.cliente.test>',
    `To: ${INBOX.address}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: ${mailId('mx.cliente.test')}`,
    `In-Reply-To: ${reply.parsed.messageId}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'The mail system could not deliver your message to auto@cliente.test.',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.cliente.test',
    '',
    'Final-Recipient: rfc822; auto@cliente.test',
    'Action: failed',
    'Status: 5.1.1',
    '--b1--',
    '',
  ].join('\r\n');
  const bounce = await postMail(url, inboxKey, bounceRaw);
  assert.equal(bounce.body.outcome, 'received');
  const now = await conversation(conversationId);
  assert.equal(now.status, 'resolved', 'still resolved');
  assert.equal(now.waitingSince, null, 'the customer does not look waiting');
  const stored = await messagesOf(conversationId);
  assert.equal(stored.filter((m) => m.content?.email?.automatic).length, 2);
  assert.equal(stored.filter((m) => m.content?.email?.bounce).length, 1, 'the bounce is recorded');
  // Machine mail that answers nothing is not a conversation.
  const stray = await postMail(url, inboxKey, textMail({ from: 'robot@cliente.test', body: 'auto', headers: { 'Auto-Submitted': 'auto-generated' } }));
  assert.equal(stray.body.outcome, 'ignored');
});

/** A delivery status notification as Postfix writes it, returning the mail `returned` names. */
function dsnMail(options: { returned: string; recipient: string; action?: string; diagnostic?: string }): string {
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.acme.test>', `To: ${INBOX.address}`, 'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: ${mailId('mx.acme.test')}`, 'Auto-Submitted: auto-replied', 'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn1"', '',
    '--dsn1', 'Content-Type: text/plain; charset=us-ascii', '', `I'm sorry to have to inform you that your message could not be delivered to ${options.recipient}.`,
    '--dsn1', 'Content-Type: message/delivery-status', '',
    'Reporting-MTA: dns; mx.acme.test', 'Arrival-Date: Mon, 7 Dec 2026 10:00:00 +0000', '',
    `Final-Recipient: rfc822; ${options.recipient}`, `Original-Recipient: rfc822;${options.recipient}`, `Action: ${options.action ?? 'failed'}`, 'Status: 5.1.1',
    // Folded at a space, as servers fold long fields.
    ...(options.diagnostic ? [`Diagnostic-Code: smtp; ${options.diagnostic.split(' rejected: ')[0]} rejected:`, `    ${options.diagnostic.split(' rejected: ')[1]}`] : []),
    '--dsn1', 'Content-Type: text/rfc822-headers', '',
    `From: Acme Support <${INBOX.address}>`, `To: ${options.recipient}`, 'Subject: Re: Consulta', `Message-ID: ${options.returned}`, '',
    '--dsn1--', '',
  ].join('\r\n');
}

test('a bounce (DSN) marks the reply it returns as failed with the reason, and is recorded without reopening', async () => {
  const { body } = await postMail(url, inboxKey, textMail({ from: 'nadie@cliente.test', body: '¿Me mandan el catálogo?' }));
  const conversationId = body.conversationId;
  const sent = await api(url, `/api/v1/conversations/${conversationId}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'Aquí va el catálogo.' } });
  const mail = await untilMail(sink, sink.mails.length + 1);
  await eventually(async () => (await messagesOf(conversationId)).find((m) => m.id === sent.body.id && m.status === 'sent'), 6000, 'sent tick');
  await api(url, `/api/v1/conversations/${conversationId}`, { token, method: 'PATCH', body: { status: 'resolved' } });

  // A delay report is recorded and changes nothing.
  const delayed = await postMail(url, inboxKey, dsnMail({ returned: mail.parsed.messageId!, recipient: 'nadie@cliente.test', action: 'delayed' }));
  assert.equal(delayed.body.outcome, 'received');
  assert.equal(delayed.body.conversationId, conversationId, 'the report joins the conversation of the mail it returns');
  assert.equal((await messagesOf(conversationId)).find((m) => m.id === sent.body.id).status, 'sent', 'a delay is not a failure');

  const diagnostic = '550 5.1.1 <nadie@cliente.test>: Recipient address rejected: User unknown in virtual mailbox table';
  const bounce = await postMail(url, inboxKey, dsnMail({ returned: mail.parsed.messageId!, recipient: 'nadie@cliente.test', diagnostic }));
  assert.equal(bounce.body.outcome, 'received');
  assert.equal(bounce.body.conversationId, conversationId);
  const messages = await messagesOf(conversationId);
  const reply = messages.find((m) => m.id === sent.body.id);
  assert.equal(reply.status, 'failed', 'the bounced reply is failed');
  assert.equal(reply.error, `Bounced by nadie@cliente.test: ${diagnostic}`, 'with the receiving server’s reason (folded lines joined)');
  const recorded = messages.find((m) => m.id === bounce.body.messageId);
  assert.equal(recorded.content.email.bounce, true, 'the bounce is recorded in the thread');
  assert.equal(recorded.content.email.dsn.messageId, sent.body.id, 'it names the reply it returns');
  const now = (await api(url, `/api/v1/conversations/${conversationId}`, { token })).body.conversation;
  assert.equal(now.status, 'resolved', 'a bounce does not reopen');
  assert.equal(now.waitingSince, null, 'nor makes the customer look waiting');

  // A bounce of mail Charla never sent, in no thread, is not a conversation.
  const stray = await postMail(url, inboxKey, dsnMail({ returned: '<not-ours@elsewhere.test>', recipient: 'x@cliente.test', diagnostic }));
  assert.equal(stray.body.outcome, 'ignored');
});

test('SMTP refusals: a 4xx is retried, a 5xx fails the message with the reason shown', async () => {
  const { body } = await postMail(url, inboxKey, textMail({ from: 'smtp@cliente.test', body: 'hola' }));
  const before = sink.mails.length;
  sink.refuseNext(451);
  const retried = await api(url, `/api/v1/conversations/${body.conversationId}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'va con reintento' } });
  await untilMail(sink, before + 1);
  await eventually(async () => (await messagesOf(body.conversationId)).find((m) => m.id === retried.body.id && m.status === 'sent'), 6000, 'sent after a retry');
  sink.refuseNext(550);
  const refused = await api(url, `/api/v1/conversations/${body.conversationId}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'rechazado' } });
  const failed = await eventually(async () => (await messagesOf(body.conversationId)).find((m) => m.id === refused.body.id && m.status === 'failed'), 6000, 'failed');
  assert.match(failed.error, /^550/);
});

test('a 30 MB message over the limit is refused clearly; malformed MIME is refused; nothing crashes', async () => {
  const big = Buffer.alloc(30 * 1024 * 1024, 'a');
  const tooLarge = await postMail(url, inboxKey, Buffer.concat([Buffer.from(textMail({ from: 'big@cliente.test', body: '' })), big]));
  assert.equal(tooLarge.status, 413);
  assert.equal(tooLarge.body.error.code, 'invalid_payload');
  const garbage = await postMail(url, inboxKey, Buffer.from([0, 1, 2, 3, 255, 254, 10, 13, 10]));
  assert.equal(garbage.status, 400);
  assert.equal(garbage.body.error.code, 'invalid_payload');
  const empty = await postMail(url, inboxKey, '');
  assert.equal(empty.status, 400);
  const health = await fetch(`${url}/healthz`);
  assert.equal(health.status, 200, 'the server is still up');
});

test('multipart mail: HTML sanitized (no scripts, no tracking pixels), inline images and attachments kept as media, Latin-1 text read right', async () => {
  const raw = [
    'From: =?ISO-8859-1?Q?Jos=E9_Mu=F1oz?= <jose@cliente.test>',
    `To: ${INBOX.address}`,
    'Subject: =?ISO-8859-1?Q?Cotizaci=F3n?=',
    `Message-ID: ${mailId()}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="mixed"',
    '',
    '--mixed',
    'Content-Type: multipart/related; boundary="rel"',
    '',
    '--rel',
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/plain; charset=ISO-8859-1',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'Necesito cotizaci=F3n para ma=F1ana.',
    '--alt',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<html><head><style>p{color:red}</style><script>alert(1)</script></head><body onload="steal()">',
    '<p>Necesito <b>cotización</b> <a href="javascript:alert(2)">aquí</a> <a href="https://shop.test/p">producto</a></p>',
    '<img src="https://tracker.test/pixel.gif?u=1" width="1" height="1"><img src="cid:logo@x">',
    '<iframe src="https://evil.test"></iframe></body></html>',
    '--alt--',
    '--rel',
    'Content-Type: image/png',
    'Content-ID: <logo@x>',
    'Content-Disposition: inline; filename="logo.png"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('png-inline-bytes').toString('base64'),
    '--rel--',
    '--mixed',
    'Content-Type: application/pdf; name="pedido.pdf"',
    'Content-Disposition: attachment; filename="pedido.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('%PDF-1.4 pedido').toString('base64'),
    '--mixed--',
    '',
  ].join('\r\n');
  const { body } = await postMail(url, inboxKey, raw);
  assert.equal(body.outcome, 'received');
  const [message] = await messagesOf(body.conversationId);
  assert.equal(message.body, 'Necesito cotización para mañana.', 'ISO-8859-1 quoted-printable decoded');
  assert.equal(message.content.email.subject, 'Cotización');
  assert.equal(message.senderName, 'José Muñoz');
  const html: string = message.content.email.html;
  assert.ok(html.includes('<b>cotización</b>'), 'formatting kept');
  for (const banned of ['<script', 'alert(', 'onload', '<img', 'tracker.test', '<iframe', '<style', 'javascript:']) {
    assert.ok(!html.includes(banned), `sanitized HTML has no ${banned}`);
  }
  assert.ok(html.includes('href="https://shop.test/p"') && html.includes('rel="noopener noreferrer nofollow"'), 'safe links kept, without referrer');
  const attachments = message.content.attachments as any[];
  assert.deepEqual(attachments.map((a) => [a.filename, a.type, a.inline]), [['logo.png', 'image/png', true], ['pedido.pdf', 'application/pdf', false]]);
  const pdf = await fetch(`${url}${attachments[1].url}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(pdf.status, 200);
  assert.equal(await pdf.text(), '%PDF-1.4 pedido');
  assert.equal(pdf.headers.get('content-security-policy'), 'sandbox', 'never runs as a page of this origin');
  assert.equal((await fetch(`${url}${attachments[1].url}`)).status, 401, 'never without a token');
  const other = await api(url, attachments[1].url, { token: server.globex.agent.token });
  assert.equal(other.status, 404, 'another workspace cannot read it');
});

test('erasing a customer removes their email attachments from disk too', async () => {
  const raw = [
    'From: Borrar <borrar@cliente.test>', `To: ${INBOX.address}`, 'Subject: adjunto', `Message-ID: ${mailId()}`,
    'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '',
    '--b', 'Content-Type: text/plain; charset=utf-8', '', 'mi documento', '--b',
    'Content-Type: application/pdf', 'Content-Disposition: attachment; filename="dni.pdf"', 'Content-Transfer-Encoding: base64', '',
    Buffer.from('%PDF dni').toString('base64'), '--b--', '',
  ].join('\r\n');
  const { body } = await postMail(url, inboxKey, raw);
  const [message] = await messagesOf(body.conversationId);
  const link = `${url}${message.content.attachments[0].url}`;
  assert.equal((await fetch(link, { headers: { authorization: `Bearer ${token}` } })).status, 200);
  const contactId = (await conversation(body.conversationId)).contactId;
  const erased = await api(url, `/api/v1/contacts/${contactId}?erase=1`, { token: server.acme.admin.token, method: 'DELETE' });
  assert.equal(erased.status, 200, JSON.stringify(erased.body));
  const { existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  const mediaDir = join(server.dbPath, '..', 'media', server.acme.workspace.id);
  assert.ok(existsSync(mediaDir), 'the workspace media folder is where the test looks');
  assert.ok(!existsSync(join(mediaDir, `${message.id}.0`)), 'the attachment file is gone');
});

test('a reply may set its own subject and copies (CC); both are refused where they make no sense', async () => {
  const { body } = await postMail(url, inboxKey, textMail({ from: 'cc@cliente.test', subject: 'Consulta', body: 'hola' }));
  const before = sink.mails.length;
  const sent = await api(url, `/api/v1/conversations/${body.conversationId}/messages`, {
    token, method: 'POST', body: { clientId: clientId(), body: 'Te mando la propuesta', email: { subject: 'Propuesta de Acme', cc: ['Compras@Cliente.test'] } },
  });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  const mail = await untilMail(sink, before + 1);
  assert.equal(mail.parsed.subject, 'Propuesta de Acme');
  assert.deepEqual(mail.to.sort(), ['cc@cliente.test', 'compras@cliente.test']);
  assert.equal(mail.parsed.cc?.[0] && 'address' in mail.parsed.cc[0] ? mail.parsed.cc[0].address : null, 'compras@cliente.test');
  const badCc = await api(url, `/api/v1/conversations/${body.conversationId}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'x', email: { cc: ['nope'] } } });
  assert.equal(badCc.status, 400);
  const note = await api(url, `/api/v1/conversations/${body.conversationId}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'x', private: true, email: { subject: 's' } } });
  assert.equal(note.status, 400);
  assert.equal(sink.mails.length, before + 1, 'nothing else was sent');
});

test('attachments: an agent uploads files to the conversation and the reply carries them as MIME attachments', async () => {
  const { body } = await postMail(url, inboxKey, textMail({ from: 'adjuntos@cliente.test', body: '¿Me mandan la cotización en PDF?' }));
  const conversationId = body.conversationId;
  const upload = (name: string | null, bytes: Buffer | string, type = 'application/pdf', as = token, id = conversationId) =>
    api(url, `/api/v1/conversations/${id}/attachments`, {
      token: as, method: 'POST', body: typeof bytes === 'string' ? bytes : bytes.toString('latin1'),
      headers: { 'content-type': type, ...(name === null ? {} : { 'x-filename': encodeURIComponent(name) }) },
    });
  const pdf = '%PDF-1.4 cotización 20 tazas';
  const uploaded = await upload('cotización.pdf', pdf);
  assert.equal(uploaded.status, 201);
  assert.match(uploaded.body.id, /^upl_[0-9a-f]{24}$/);
  assert.deepEqual({ ...uploaded.body, id: undefined }, { id: undefined, conversationId, filename: 'cotización.pdf', type: 'application/pdf', size: Buffer.byteLength(pdf) });
  const csv = await upload('precios.csv', 'sku,precio\ntaza,180\n', 'text/csv');
  assert.equal(csv.status, 201);

  assert.equal((await upload('x.pdf', pdf, 'application/pdf', server.acme.viewer.token)).status, 403, 'viewers cannot attach');
  assert.equal((await upload(null, pdf)).status, 400, 'a file needs its name');
  assert.equal((await upload('../../etc/passwd', pdf)).status, 400, 'no paths in names');
  assert.equal((await upload('vacío.pdf', '')).status, 400, 'an empty body is no file');
  const webchat = await api(url, '/api/v1/conversations?status=all&channel=webchat&limit=1', { token });
  if (webchat.body.conversations[0]) {
    assert.equal((await upload('x.pdf', pdf, 'application/pdf', token, webchat.body.conversations[0].id)).status, 400, 'email conversations only');
  }
  const bad = await api(url, `/api/v1/conversations/${conversationId}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'x', email: { attachments: ['../secret'] } } });
  assert.equal(bad.status, 400, 'attachments are upload ids');

  const before = sink.mails.length;
  const sent = await api(url, `/api/v1/conversations/${conversationId}/messages`, {
    token, method: 'POST', body: { clientId: clientId(), body: 'Adjunto la cotización y la lista de precios.', email: { attachments: [uploaded.body.id, csv.body.id] } },
  });
  assert.equal(sent.status, 201);
  const mail = await untilMail(sink, before + 1);
  assert.deepEqual(mail.parsed.attachments.map((a) => [a.filename, a.mimeType]), [['cotización.pdf', 'application/pdf'], ['precios.csv', 'text/csv']]);
  const [first] = mail.parsed.attachments;
  assert.equal(Buffer.from(first!.content as ArrayBuffer).toString('utf8'), pdf, 'the bytes arrive as uploaded');
  assert.match(mail.parsed.text ?? '', /Adjunto la cotización/);
  const delivered = await eventually(async () => (await messagesOf(conversationId)).find((m) => m.id === sent.body.id && m.status === 'sent' && m.content?.attachments), 6000, 'sent with its attachments');
  assert.deepEqual(delivered.content.attachments.map((a: any) => a.filename), ['cotización.pdf', 'precios.csv']);
  const download = await fetch(`${url}${delivered.content.attachments[0].url}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(await download.text(), pdf, 'the thread offers the file sent');
  const kept = await readdir(join(server.dir, 'media', server.acme.workspace.id));
  assert.ok(!kept.some((name) => name.startsWith(uploaded.body.id)), 'the upload lives on as the reply’s file only (erasure removes those)');

  // A file uploaded to another conversation is not sent with this one: the reply fails, saying why.
  const other = await postMail(url, inboxKey, textMail({ from: 'otro@cliente.test', body: 'hola' }));
  const foreign = await upload('ajeno.pdf', pdf, 'application/pdf', token, other.body.conversationId);
  const wrong = await api(url, `/api/v1/conversations/${conversationId}/messages`, {
    token, method: 'POST', body: { clientId: clientId(), body: 'con archivo ajeno', email: { attachments: [foreign.body.id] } },
  });
  const failed = await eventually(async () => (await messagesOf(conversationId)).find((m) => m.id === wrong.body.id && m.status === 'failed'), 6000, 'failed');
  assert.match(failed.error, /belongs to another conversation/);
});

test('an upload never sent is removed after a day; a reply naming it then fails saying so', async () => {
  const { body } = await postMail(url, inboxKey, textMail({ from: 'olvido@cliente.test', body: '¿Y el catálogo?' }));
  const upload = () => api(url, `/api/v1/conversations/${body.conversationId}/attachments`, {
    token, method: 'POST', body: 'catálogo 2027', headers: { 'content-type': 'text/plain', 'x-filename': 'catalogo.txt' },
  });
  const forgotten = await upload();
  assert.equal(forgotten.status, 201);
  const dir = join(server.dir, 'media', server.acme.workspace.id);
  const dayAndMore = new Date(Date.now() - UPLOAD_KEEP_MS - 60_000);
  await utimes(join(dir, forgotten.body.id), dayAndMore, dayAndMore);
  const recent = await upload();
  assert.equal(recent.status, 201);

  assert.equal(await pruneUploads(join(server.dir, 'media'), Date.now() - UPLOAD_KEEP_MS), 1, 'one upload was older than a day');
  const kept = await readdir(dir);
  assert.ok(!kept.some((name) => name.startsWith(forgotten.body.id)), 'the forgotten upload and its description are gone');
  assert.ok(kept.includes(recent.body.id) && kept.includes(`${recent.body.id}.json`), 'the recent one stays');

  const late = await api(url, `/api/v1/conversations/${body.conversationId}/messages`, {
    token, method: 'POST', body: { clientId: clientId(), body: 'Va el catálogo', email: { attachments: [forgotten.body.id] } },
  });
  const failed = await eventually(async () => (await messagesOf(body.conversationId)).find((m) => m.id === late.body.id && m.status === 'failed'), 6000, 'failed');
  assert.match(failed.error, /was not found/);
});
