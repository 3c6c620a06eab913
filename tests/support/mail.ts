/**
 * Mail test kit: a real SMTP server on loopback (smtp-server) that receives what Charla sends,
 * with authentication, and builders of raw MIME messages as customers' mail clients write them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PostalMime, { type Email } from 'postal-mime';
import { SMTPServer } from 'smtp-server';
import { api, eventually } from '../server/helpers.js';

export interface ReceivedMail {
  /** Whether the mail came over TLS (implicit, or upgraded with STARTTLS). */
  secure: boolean;
  from: string;
  to: string[];
  raw: Buffer;
  parsed: Email;
  header(name: string): string | null;
}

export interface SmtpSink {
  url: string;
  port: number;
  mails: ReceivedMail[];
  /** The next deliveries are refused with these SMTP codes, one per delivery. */
  refuseNext(...codes: number[]): void;
  close(): Promise<void>;
}

export const SMTP_USER = 'charla';
export const SMTP_PASS = 'smtp-secret';

/**
 * With `tls` the sink has that certificate: `implicit` TLS from the first byte (an `smtps://` URL),
 * else STARTTLS offered (an `smtp://` URL the client upgrades).
 */
export async function startSmtpSink(tls?: { key: string; cert: string; implicit: boolean }): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const refusals: number[] = [];
  const server = new SMTPServer({
    secure: Boolean(tls?.implicit),
    ...(tls ? { key: tls.key, cert: tls.cert } : { disabledCommands: ['STARTTLS'] }),
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASS) return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const code = refusals.shift();
        if (code) {
          const error = Object.assign(new Error(`Refused with ${code}`), { responseCode: code });
          return callback(error);
        }
        const raw = Buffer.concat(chunks);
        void PostalMime.parse(raw).then((parsed) => {
          mails.push({
            secure: Boolean(session.secure),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            parsed,
            header: (name) => parsed.headers.find((h) => h.key === name.toLowerCase())?.value ?? null,
          });
          callback();
        }, callback);
      });
    },
  });
  // A client that refuses the certificate drops the connection mid-handshake: the sink carries on.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `${tls?.implicit ? 'smtps' : 'smtp'}://${SMTP_USER}:${SMTP_PASS}@127.0.0.1:${port}`,
    port,
    mails,
    refuseNext: (...codes) => refusals.push(...codes),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A self-signed certificate for 127.0.0.1 (openssl), as a mail server of the business's own making has. */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'charla-cert-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const INBOX = { address: 'support@acme.test', fromName: 'Acme Support', signature: 'Acme · support@acme.test', inboundSecret: 'inbound-secret-0123456789' };

/** Connects the workspace's email inbox; answers its view (with the webhook's inbox key). */
export async function connectInbox(url: string, adminToken: string, settings: Record<string, unknown>): Promise<any> {
  const response = await api(url, '/api/v1/channels/email', { token: adminToken, method: 'PUT', body: { ...INBOX, ...settings } });
  if (response.status !== 200) throw new Error(`Configuring email failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

let counter = 0;
export const mailId = (host = 'mail.customer.test') => `<m${Date.now().toString(36)}.${++counter}@${host}>`;

/** A plain text message (CRLF lines, as on the wire). */
export function textMail(options: {
  from: string;
  to?: string;
  subject?: string;
  body: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  headers?: Record<string, string>;
}): string {
  const lines = [
    `From: ${options.from}`,
    `To: ${options.to ?? INBOX.address}`,
    `Subject: ${options.subject ?? 'Consulta'}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${options.messageId ?? mailId()}`,
    ...(options.inReplyTo ? [`In-Reply-To: ${options.inReplyTo}`] : []),
    ...(options.references ? [`References: ${options.references}`] : []),
    ...Object.entries(options.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    options.body,
  ];
  return lines.join('\r\n');
}

/** Posts a raw message to the inbox's webhook as a provider does. */
export async function postMail(url: string, inboxKey: string, raw: string | Buffer, secret: string | null = INBOX.inboundSecret): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'message/rfc822' };
  if (secret !== null) headers['x-charla-secret'] = secret;
  const response = await fetch(`${url}/webhooks/email/${inboxKey}`, { method: 'POST', headers, body: typeof raw === 'string' ? raw : new Uint8Array(raw) });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body };
}

export function untilMail(sink: SmtpSink, count: number): Promise<ReceivedMail> {
  return eventually(async () => (sink.mails.length >= count ? sink.mails[count - 1] : undefined), 8000, `mail #${count} at the SMTP sink`);
}
