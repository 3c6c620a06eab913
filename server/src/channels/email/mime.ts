/**
 * Inbound mail as Charla reads it: parsed with postal-mime (multipart, encodings, charsets), the
 * headers that thread, whether it was written by a machine (auto-replies, bounces), the text
 * without the quoted history, and the HTML part sanitized on an allow-list (no scripts, no
 * styles, no images: tracking pixels never load).
 */
import { createHash } from 'node:crypto';
import PostalMime, { type Address, type Email } from 'postal-mime';
import sanitizeHtml from 'sanitize-html';

export interface MailAddress {
  address: string;
  name: string | null;
}

export interface MailAttachment {
  filename: string;
  mimeType: string;
  inline: boolean;
  bytes: Buffer;
}

export interface ParsedMail {
  /** `<id@host>` as the sender gave it, or one derived from the bytes when it gave none. */
  messageId: string;
  inReplyTo: string | null;
  /** Oldest first, as in the header. */
  references: string[];
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  /** Every address the message was delivered to (To, Cc, Delivered-To, X-Original-To). */
  recipients: string[];
  subject: string;
  /** The new text of the message (quoted history cut off). */
  text: string;
  /** Whether a quoted history was cut off the text. */
  quoted: boolean;
  /** The HTML part, sanitized; null when there was none. */
  html: string | null;
  attachments: MailAttachment[];
  /** Written by a machine (Auto-Submitted, vacation replies, list mail): never reopens a conversation. */
  automatic: boolean;
  /** A delivery status notification (bounce). */
  bounce: boolean;
  /** What a bounce reports (its delivery-status part and the headers of the mail it returns). */
  dsn: DeliveryReport | null;
  /** The `X-Charla-Loop` header Charla puts on what it sends: a copy of our own mail coming back. */
  loopMark: string | null;
  date: string | null;
}

export interface DeliveryReport {
  /** The Message-ID of the mail that was not delivered. */
  originalMessageId: string | null;
  /** `failed`, `delayed`, `delivered`… (RFC 3464), of the first recipient the report names. */
  action: string | null;
  recipient: string | null;
  /** `5.1.1` and the like. */
  status: string | null;
  /** The receiving server's words: `550 5.1.1 <x@y>: Recipient address rejected: User unknown`. */
  diagnostic: string | null;
}

export class MalformedMail extends Error {
  override readonly name = 'MalformedMail';
}

const header = (mail: Email, key: string): string | null => mail.headers.find((h) => h.key === key)?.value.trim() ?? null;

function mailboxes(list: Address[] | Address | undefined): MailAddress[] {
  const all = Array.isArray(list) ? list : list ? [list] : [];
  return all
    .flatMap((entry) => (entry.group ? entry.group : [entry]))
    .filter((m) => typeof m.address === 'string' && m.address.includes('@'))
    .map((m) => ({ address: m.address!.trim().toLowerCase(), name: m.name?.trim() || null }));
}

/** `<a@b> <c@d>` → `['<a@b>', '<c@d>']`. */
export function messageIds(value: string | null | undefined): string[] {
  return value?.match(/<[^<>\s]+>/g) ?? [];
}

/** Tags and attributes an agent may see of a customer's HTML; everything else is dropped. */
const HTML_POLICY: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'blockquote', 'pre', 'code', 'ul', 'ol', 'li',
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  disallowedTagsMode: 'discard',
  // What sat inside these is not text a person wrote.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'iframe', 'object', 'template'],
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }) },
};

export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, HTML_POLICY).trim();
}

/** The readable text of an HTML part (when a message has no text part). */
function textOfHtml(html: string): string {
  const withBreaks = html.replace(/<(br|\/p|\/div|\/li|\/tr|\/h\d)\b[^>]*>/gi, '\n');
  return sanitizeHtml(withBreaks, { allowedTags: [], allowedAttributes: {}, nonTextTags: HTML_POLICY.nonTextTags })
    .replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** "On Mon, … wrote:" in English, Spanish and Portuguese mail clients (may wrap onto two lines). */
const ATTRIBUTION = /^(On\s.+wrote:|El\s.+escribió:|Em\s.+escreveu:|-{2,}\s*(Original Message|Mensaje original|Mensagem original)\s*-{2,})\s*$/im;

/** The text a customer wrote, without the history their client quoted below it. */
export function withoutQuote(text: string): { text: string; quoted: boolean } {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i += 1) {
    const joined = `${lines[i]} ${lines[i + 1] ?? ''}`;
    if (ATTRIBUTION.test(lines[i]!) || (/^(On|El|Em)\s/.test(lines[i]!) && ATTRIBUTION.test(joined))) {
      cut = i;
      break;
    }
    if (/^>/.test(lines[i]!) && lines.slice(i).every((line) => line.trim() === '' || /^>/.test(line))) {
      cut = i;
      break;
    }
  }
  const kept = lines.slice(0, cut).join('\n').trim();
  if (cut === lines.length || kept === '') return { text: text.trim(), quoted: false };
  return { text: kept, quoted: true };
}

function isAutomatic(mail: Email, from: MailAddress | null): boolean {
  const auto = header(mail, 'auto-submitted');
  if (auto && auto.toLowerCase() !== 'no') return true;
  if (header(mail, 'x-autoreply') || header(mail, 'x-autorespond')) return true;
  const precedence = header(mail, 'precedence')?.toLowerCase();
  if (precedence && ['auto_reply', 'bulk', 'junk', 'list'].includes(precedence)) return true;
  return Boolean(from && /^(mailer-daemon|postmaster)@/i.test(from.address));
}

function isBounce(mail: Email, from: MailAddress | null): boolean {
  const type = header(mail, 'content-type')?.toLowerCase() ?? '';
  if (type.startsWith('multipart/report') && /report-type\s*=\s*"?delivery-status/.test(type)) return true;
  return Boolean(from && /^mailer-daemon@/i.test(from.address));
}

const textOf = (content: ArrayBuffer | Uint8Array | string): string =>
  typeof content === 'string' ? content : Buffer.from(content instanceof ArrayBuffer ? new Uint8Array(content) : content).toString('utf8');

/** A header field of a header block (folded lines joined). */
function field(block: string, name: string): string | null {
  const match = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'im').exec(block);
  return match ? match[1]!.replace(/\r?\n[ \t]+/g, ' ').trim() || null : null;
}

/** The report a bounce carries: its `message/delivery-status` part and the returned mail's headers. */
function deliveryReport(mail: Email): DeliveryReport | null {
  const part = (types: string[]) => mail.attachments.find((a) => types.includes(a.mimeType.toLowerCase()));
  const status = part(['message/delivery-status', 'message/global-delivery-status']);
  const returned = part(['message/rfc822', 'text/rfc822-headers', 'message/rfc822-headers', 'message/global', 'message/global-headers']);
  if (!status && !returned) return null;
  const statusText = status ? textOf(status.content) : '';
  // Per-recipient blocks follow the per-message one; the first that failed speaks for the bounce.
  const blocks = statusText.split(/\r?\n\r?\n/).filter((block) => /^(final|original)-recipient:/im.test(block));
  const block = blocks.find((b) => /^action:\s*failed/im.test(b)) ?? blocks[0] ?? '';
  const headers = returned ? textOf(returned.content).split(/\r?\n\r?\n/)[0]! : '';
  const recipient = field(block, 'final-recipient') ?? field(block, 'original-recipient');
  return {
    originalMessageId: messageIds(field(headers, 'message-id'))[0] ?? null,
    action: field(block, 'action')?.toLowerCase() ?? null,
    recipient: recipient ? recipient.replace(/^[^;]*;\s*/, '').replace(/^<|>$/g, '').toLowerCase() : null,
    status: field(block, 'status'),
    diagnostic: field(block, 'diagnostic-code')?.replace(/^[^;]*;\s*/, '') ?? null,
  };
}

export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  let mail: Email;
  try {
    mail = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer', maxNestingDepth: 50, maxPartCount: 500 });
  } catch (error) {
    throw new MalformedMail(`The message could not be read as MIME: ${(error as Error).message}`);
  }
  // Without a header block there is no mail: a From (or Sender) is the least a message has.
  const [from] = mailboxes(mail.from ?? mail.sender);
  if (!from && !mail.headers.some((h) => h.key === 'from')) throw new MalformedMail('The message has no From header');
  const to = mailboxes(mail.to);
  const cc = mailboxes(mail.cc);
  const recipients = new Set([...to, ...cc].map((m) => m.address));
  for (const key of ['delivered-to', 'x-original-to', 'envelope-to']) {
    for (const h of mail.headers.filter((entry) => entry.key === key)) recipients.add(h.value.trim().replace(/^<|>$/g, '').toLowerCase());
  }
  const html = mail.html ? sanitizeMailHtml(mail.html) : null;
  const fullText = (mail.text ?? '').trim() || (mail.html ? textOfHtml(mail.html) : '');
  const { text, quoted } = withoutQuote(fullText);
  const messageId = messageIds(mail.messageId)[0] ?? `<${createHash('sha256').update(raw).digest('hex').slice(0, 40)}@charla.invalid>`;
  return {
    messageId,
    inReplyTo: messageIds(mail.inReplyTo)[0] ?? null,
    references: messageIds(mail.references),
    from: from ?? null,
    to,
    cc,
    recipients: [...recipients],
    subject: (mail.subject ?? '').trim(),
    text,
    quoted,
    html: html || null,
    attachments: mail.attachments.map((a, index) => ({
      filename: a.filename?.trim() || `attachment-${index + 1}`,
      mimeType: a.mimeType || 'application/octet-stream',
      inline: a.disposition === 'inline' || Boolean(a.contentId && a.disposition !== 'attachment'),
      bytes: typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : Buffer.from(a.content instanceof ArrayBuffer ? new Uint8Array(a.content) : a.content),
    })),
    automatic: isAutomatic(mail, from ?? null),
    bounce: isBounce(mail, from ?? null),
    dsn: isBounce(mail, from ?? null) ? deliveryReport(mail) : null,
    loopMark: header(mail, 'x-charla-loop'),
    date: mail.date && !Number.isNaN(Date.parse(mail.date)) ? new Date(mail.date).toISOString() : null,
  };
}
