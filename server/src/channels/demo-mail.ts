/**
 * The demo's email inbox. Its replies really leave over SMTP: to `CHARLA_EMAIL_SMTP_URL` when
 * set, else to a small SMTP server the demo runs on loopback (smtp-server), whose received mail
 * `/demo/mail-outbox` lists as the customers' mailboxes would see it.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';
import type { Logger } from '../logger.js';
import { DEMO_WIDGET_KEY } from '../seed.js';
import type { Store } from '../store/index.js';
import type { EmailChannel } from './email/index.js';

export interface DemoMailEntry {
  seq: number;
  to: string[];
  subject: string;
  text: string;
  messageId: string | null;
  inReplyTo: string | null;
  replyTo: string | null;
  at: string;
}

const OUTBOX_LIMIT = 200;

export interface DemoMail {
  outbox: DemoMailEntry[];
  close(): Promise<void>;
}

export async function startDemoMail(store: Store, env: NodeJS.ProcessEnv, email: EmailChannel, logger: Logger): Promise<DemoMail | null> {
  const workspace = await store.workspaces.byWidgetKey(DEMO_WIDGET_KEY);
  if (!workspace) return null;
  const outbox: DemoMailEntry[] = [];
  let server: SMTPServer | null = null;
  let smtpUrl = env.CHARLA_EMAIL_SMTP_URL;
  if (!smtpUrl) {
    let seq = 0;
    const sink = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 25 * 1024 * 1024,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          PostalMime.parse(Buffer.concat(chunks)).then((mail) => {
            seq += 1;
            outbox.push({
              seq,
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              messageId: mail.messageId ?? null,
              inReplyTo: mail.inReplyTo ?? null,
              replyTo: mail.replyTo?.[0]?.address ?? null,
              at: new Date().toISOString(),
            });
            if (outbox.length > OUTBOX_LIMIT) outbox.splice(0, outbox.length - OUTBOX_LIMIT);
            callback();
          }, callback);
        });
      },
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
    server = sink;
    smtpUrl = `smtp://127.0.0.1:${(sink.server.address() as AddressInfo).port}`;
  }
  const [current] = await store.channels.emailInboxes(workspace.id);
  await email.save(workspace.id, {
    address: env.CHARLA_EMAIL_ADDRESS ?? 'hola@tienda-demo.test',
    fromName: current?.settings.fromName ?? `${workspace.name}`,
    signature: current?.settings.signature ?? `${workspace.name} · hola@tienda-demo.test`,
    inboundSecret: env.CHARLA_EMAIL_INBOUND_SECRET ?? current?.settings.inboundSecret ?? randomBytes(18).toString('hex'),
    smtpUrl,
  });
  logger.info(server ? `Demo email replies go to the local SMTP server at ${smtpUrl}` : 'Demo email replies go to CHARLA_EMAIL_SMTP_URL');
  return {
    outbox,
    close: () => (server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve()),
  };
}

export function registerDemoMail(app: Express, demo: DemoMail | null): void {
  app.get('/demo/mail-outbox', (req, res) => {
    const after = Number(req.query.after ?? 0) || 0;
    res.json({ messages: (demo?.outbox ?? []).filter((entry) => entry.seq > after) });
  });
}
