import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, startServer, type TestServer } from './helpers.js';
import { dovecotMissing, startDovecot, type Dovecot } from '../support/dovecot.js';
import { connectInbox, mailId, startSmtpSink, textMail, type SmtpSink } from '../support/mail.js';

let server: TestServer;
let imap: Dovecot;
let sink: SmtpSink;
let token: string;

before(async () => {
  if (dovecotMissing) return;
  imap = await startDovecot();
  sink = await startSmtpSink();
  server = await startServer({ server: { jobBackoffMs: 20, imapBackoffMs: 50 } });
  token = server.acme.agent.token;
});
after(async () => {
  if (dovecotMissing) return;
  await server.close();
  await sink.close();
  await imap.close();
});

async function messageWithBody(body: string): Promise<any> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const list = await api(server.url, '/api/v1/conversations?status=all&channel=email&limit=100', { token });
    for (const conversation of list.body.conversations) {
      const messages = (await api(server.url, `/api/v1/conversations/${conversation.id}/messages?limit=100`, { token })).body.messages;
      const found = messages.find((m: any) => m.body === body);
      if (found) return { ...found, all: messages };
    }
    if (Date.now() > deadline) throw new Error(`No message "${body}" read from IMAP`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('an inbox read over IMAP (Dovecot): mail already there and mail arriving later (IDLE) become conversations, once each; a dropped server is reconnected to', { skip: dovecotMissing ?? false }, async () => {
  await imap.deliver(textMail({ from: 'Ana Lopes <ana@cliente.test>', subject: 'Orçamento', body: 'Já estava na caixa' }));
  await connectInbox(server.url, server.acme.admin.token, { smtpUrl: sink.url, imapUrl: imap.url });
  const first = await messageWithBody('Já estava na caixa');
  assert.equal(first.senderName, 'Ana Lopes');

  const id = mailId();
  await imap.deliver(textMail({ from: 'ana@cliente.test', subject: 'Re: Orçamento', body: 'Chegou depois', messageId: id, inReplyTo: first.channelMessageId }));
  const later = await messageWithBody('Chegou depois');
  assert.equal(later.conversationId, first.conversationId, 'threaded by In-Reply-To');
  // The same message delivered twice (a copy in another folder moved back, a resend) is one message.
  await imap.deliver(textMail({ from: 'ana@cliente.test', body: 'Chegou depois', messageId: id, inReplyTo: first.channelMessageId }));
  await imap.deliver(textMail({ from: 'ana@cliente.test', body: 'Marcador', inReplyTo: first.channelMessageId }));
  const marker = await messageWithBody('Marcador');
  assert.equal(marker.all.filter((m: any) => m.body === 'Chegou depois').length, 1, 'deduplicated on Message-ID');

  // The server goes away and comes back: the reader reconnects and takes what arrived meanwhile.
  await imap.stop();
  await imap.start();
  await imap.deliver(textMail({ from: 'ana@cliente.test', body: 'Depois da queda', inReplyTo: first.channelMessageId }));
  const afterDrop = await messageWithBody('Depois da queda');
  assert.equal(afterDrop.conversationId, first.conversationId);
  assert.equal(afterDrop.all.filter((m: any) => m.body === 'Já estava na caixa').length, 1, 'nothing read twice after reconnecting');
});
