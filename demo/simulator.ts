/**
 * The channel simulator: a stand-in for a customer's phone. It posts WhatsApp, Instagram and Messenger
 * webhooks to this demo server in Meta's formats, signed with the demo app secret exactly as
 * Meta signs them, and shows the replies agents send from the admin panel (the demo server's
 * Graph API stand-in keeps them in an outbox). Everything shown is text: nothing is parsed as HTML.
 *
 * The email customer writes raw MIME messages to the demo inbox's webhook, as a mail provider
 * posts them, and reads the replies the demo's SMTP server received (`/demo/mail-outbox`); each
 * answer threads under the latest reply (In-Reply-To, References, and its Reply-To address).
 */
type Channel = 'whatsapp' | 'instagram' | 'messenger' | 'email';
type MetaChannel = Exclude<Channel, 'email'>;

interface SimulatorConfig {
  whatsapp: { phoneNumberId: string | null; wabaId: string | null; appSecret: string | null };
  /** `photoUrl`: where the customer's photo is served from a host Charla fetches media from (null: this page's). */
  instagram: { accountId: string | null; appSecret: string | null; photoUrl: string | null };
  messenger: { pageId: string | null; appSecret: string | null };
  email: { inboxKey: string | null; address: string | null; inboundSecret: string | null };
}

interface MailEntry {
  seq: number;
  to: string[];
  subject: string;
  text: string;
  messageId: string | null;
  replyTo: string | null;
}

interface OutboxEntry {
  seq: number;
  channel: Channel;
  to: string;
  id: string;
  text: string;
  at: string;
}

const $ = <E extends HTMLElement>(selector: string) => document.querySelector<E>(selector)!;
const log = $<HTMLOListElement>('#log');
const form = $<HTMLFormElement>('#composer');
const text = $<HTMLTextAreaElement>('#text');
const nameInput = $<HTMLInputElement>('#name');
const handleInput = $<HTMLInputElement>('#handle');
const handleLabel = $<HTMLSpanElement>('#handle-label');
const subjectInput = $<HTMLInputElement>('#subject');
const statusLine = $<HTMLParagraphElement>('#status');

let channel: Channel = 'whatsapp';
let config: SimulatorConfig;
let outboxSeq = 0;
let mailSeq = 0;
/** The latest reply the email customer received, per address: what their next mail answers. */
const lastReplies = new Map<string, { messageId: string | null; replyTo: string | null; subject: string; references: string[] }>();
let counter = 0;
const encoder = new TextEncoder();

const DEFAULT_HANDLES: Record<Channel, string> = {
  whatsapp: '5215512345678', instagram: 'IGSID-maria-demo', messenger: 'PSID-lucia-demo', email: 'carla.mendez@cliente-demo.test',
};
const LABELS: Record<Channel, string> = { whatsapp: 'WhatsApp', instagram: 'Instagram', messenger: 'Messenger', email: 'Email' };
const HANDLE_LABELS: Record<Channel, string> = {
  whatsapp: 'WhatsApp number (wa_id)', instagram: 'Instagram user id (IGSID)', messenger: 'Page-scoped user id (PSID)', email: 'Email address',
};

async function sign(body: string, secret: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(body)));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}

/** Meta's WhatsApp webhook envelope around one change's `value` (messages or statuses). */
function whatsappEnvelope(value: Record<string, unknown>): unknown {
  return {
    object: 'whatsapp_business_account',
    entry: [{
      id: config.whatsapp.wabaId,
      changes: [{
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '15550783881', phone_number_id: config.whatsapp.phoneNumberId },
          ...value,
        },
      }],
    }],
  };
}

function whatsappPayload(message: Record<string, unknown>): unknown {
  const waId = handleInput.value.trim();
  return whatsappEnvelope({
    contacts: [{ profile: { name: nameInput.value.trim() || 'Cliente' }, wa_id: waId }],
    messages: [{ from: waId, id: uniqueId('wamid.SIM'), timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
  });
}

function whatsappStatus(id: string, status: 'delivered' | 'read'): unknown {
  return whatsappEnvelope({
    statuses: [{ id, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: handleInput.value.trim() }],
  });
}

/** Instagram's and Messenger's envelope: `entry[].messaging[]` to the account (the Page for Messenger). */
function pagePayload(target: 'instagram' | 'messenger', message: Record<string, unknown>): unknown {
  const accountId = target === 'instagram' ? config.instagram.accountId : config.messenger.pageId;
  return {
    object: target === 'instagram' ? 'instagram' : 'page',
    entry: [{
      id: accountId,
      time: Date.now(),
      messaging: [{
        sender: { id: handleInput.value.trim() },
        recipient: { id: accountId },
        timestamp: Date.now(),
        message: { mid: uniqueId(target === 'instagram' ? 'aWdfSIM' : 'm_SIM'), ...message },
      }],
    }],
  };
}

/** Tells the demo's Graph stand-in the customer's profile name (what Charla reads back, as from Meta). */
async function shareProfile(): Promise<void> {
  const name = nameInput.value.trim();
  if (!name) return;
  await fetch('/demo/graph/profiles', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: handleInput.value.trim(), name }),
  }).catch(() => undefined);
}

/** A header value in RFC 2047 words when it is not ASCII. */
function headerText(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const bytes = encoder.encode(value);
  return `=?UTF-8?B?${btoa(String.fromCharCode(...bytes))}?=`;
}

/** Base64 in 76-character lines, as MIME wants it. */
function base64Lines(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/.{1,76}/g, '$&\r\n').trimEnd();
}

/** The customer's mail as their client writes it: text, or text and the demo photo attached. */
async function composeMail(body: string, withPhoto: boolean): Promise<string> {
  const address = handleInput.value.trim();
  const name = nameInput.value.trim();
  const last = lastReplies.get(address);
  const subject = last ? (/^re:/i.test(last.subject) ? last.subject : `Re: ${last.subject}`) : subjectInput.value.trim() || 'Consulta';
  const headers = [
    `From: ${name ? `${headerText(name)} <${address}>` : address}`,
    `To: ${last?.replyTo ?? config.email.address}`,
    `Subject: ${headerText(subject)}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${uniqueId('sim.')}@${address.split('@')[1] ?? 'cliente-demo.test'}>`,
    ...(last?.messageId ? [`In-Reply-To: ${last.messageId}`, `References: ${[...last.references, last.messageId].join(' ')}`] : []),
    'MIME-Version: 1.0',
  ];
  const text = ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', base64Lines(encoder.encode(body))];
  if (!withPhoto) return [...headers, ...text, ''].join('\r\n');
  const photo = new Uint8Array(await (await fetch('/demo/photo.png')).arrayBuffer());
  const boundary = uniqueId('b_');
  return [
    ...headers, `Content-Type: multipart/mixed; boundary="${boundary}"`, '',
    `--${boundary}`, ...text,
    `--${boundary}`, 'Content-Type: image/png; name="foto.png"', 'Content-Disposition: attachment; filename="foto.png"',
    'Content-Transfer-Encoding: base64', '', base64Lines(photo),
    `--${boundary}--`, '',
  ].join('\r\n');
}

/** Posts the mail to the demo inbox's webhook, as a mail provider does. */
async function postMail(raw: string): Promise<boolean> {
  if (!config.email.inboxKey || !config.email.inboundSecret) {
    statusLine.textContent = 'The demo has no email inbox.';
    return false;
  }
  const response = await fetch(`/webhooks/email/${config.email.inboxKey}`, {
    method: 'POST', headers: { 'content-type': 'message/rfc822', 'x-charla-secret': config.email.inboundSecret }, body: raw,
  });
  statusLine.textContent = response.ok ? `Delivered to Charla (HTTP ${response.status}).` : `Charla refused it (HTTP ${response.status}).`;
  return response.ok;
}

async function post(target: MetaChannel, payload: unknown): Promise<boolean> {
  const secret = config[target].appSecret;
  const body = JSON.stringify(payload);
  const response = await fetch(`/webhooks/${target}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': await sign(body, secret ?? '') },
    body,
  });
  statusLine.textContent = response.ok ? `Delivered to Charla (HTTP ${response.status}).` : `Charla refused it (HTTP ${response.status}).`;
  return response.ok;
}

function bubble(side: 'customer' | 'business', label: string, detail?: string): void {
  const item = document.createElement('li');
  item.className = `bubble ${side}`;
  const body = document.createElement('p');
  body.textContent = label;
  item.append(body);
  const meta = document.createElement('small');
  meta.textContent = `${detail ? `${detail} · ` : ''}${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
  item.append(meta);
  log.append(item);
  item.scrollIntoView({ block: 'end' });
}

async function sendCustomer(kind: 'text' | 'location' | 'button' | 'unsupported', value = ''): Promise<void> {
  if (channel === 'whatsapp') {
    const message =
      kind === 'location'
        ? { type: 'location', location: { latitude: 19.4326, longitude: -99.1332, name: 'Zócalo', address: 'Centro, CDMX' } }
        : kind === 'button'
          ? { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'confirm', title: 'Sí, confirmar' } } }
          : kind === 'unsupported'
            ? { type: 'order', order: { catalog_id: 'demo', product_items: [{ product_retailer_id: 'sku-1', quantity: 1 }] } }
            : { type: 'text', text: { body: value } };
    if (await post('whatsapp', whatsappPayload(message))) bubble('customer', labelOf(kind, value), 'WhatsApp');
  } else if (channel === 'email') {
    const withPhoto = kind === 'unsupported';
    const body = withPhoto ? value || 'Les mando la foto del producto.' : value;
    if (await postMail(await composeMail(body, withPhoto))) bubble('customer', withPhoto ? `${body}\n📎 foto.png` : body, 'Email');
  } else {
    const message =
      kind === 'text'
        ? { text: value }
        : { attachments: [{ type: kind === 'location' ? 'location' : 'image', payload: { url: config.instagram.photoUrl ?? new URL('/demo/photo.png', location.href).href } }] };
    await shareProfile();
    if (await post(channel, pagePayload(channel, message))) bubble('customer', labelOf(kind, value), LABELS[channel]);
  }
}

function labelOf(kind: string, value: string): string {
  if (kind === 'location') return '📍 Zócalo, Centro, CDMX';
  if (kind === 'button') return '🔘 Sí, confirmar';
  if (kind === 'unsupported') return channel === 'whatsapp' ? '🛒 An order (a type Charla keeps as unsupported)' : '🖼️ A photo';
  return value;
}

/** Mail the demo's SMTP server received for the email customer: shown, and remembered to answer. */
async function pollMail(): Promise<void> {
  try {
    const { messages } = (await (await fetch(`/demo/mail-outbox?after=${mailSeq}`)).json()) as { messages: MailEntry[] };
    for (const entry of messages) {
      mailSeq = Math.max(mailSeq, entry.seq);
      for (const to of entry.to) {
        const previous = lastReplies.get(to);
        lastReplies.set(to, {
          messageId: entry.messageId, replyTo: entry.replyTo, subject: entry.subject,
          references: [...(previous?.references ?? []), ...(previous?.messageId ? [previous.messageId] : [])].slice(-10),
        });
      }
      if (channel === 'email' && entry.to.includes(handleInput.value.trim())) bubble('business', entry.text, `Email · ${entry.subject}`);
    }
  } catch {
    statusLine.textContent = 'The demo server does not answer.';
  }
  setTimeout(() => void pollMail(), 1500);
}

async function pollReplies(): Promise<void> {
  try {
    const response = await fetch(`/demo/graph-outbox?after=${outboxSeq}`);
    const { messages } = (await response.json()) as { messages: OutboxEntry[] };
    for (const entry of messages) {
      outboxSeq = Math.max(outboxSeq, entry.seq);
      if (entry.channel !== channel || entry.to !== handleInput.value.trim()) continue;
      bubble('business', entry.text, 'Reply from Charla');
      // The phone reports the reply delivered and read, as WhatsApp does.
      if (entry.channel === 'whatsapp') {
        await post('whatsapp', whatsappStatus(entry.id, 'delivered'));
        await post('whatsapp', whatsappStatus(entry.id, 'read'));
      }
    }
  } catch {
    statusLine.textContent = 'The demo server does not answer.';
  }
  setTimeout(() => void pollReplies(), 1500);
}

function selectChannel(next: Channel): void {
  channel = next;
  for (const tab of document.querySelectorAll<HTMLButtonElement>('[role="tab"]')) {
    tab.setAttribute('aria-selected', String(tab.dataset.channel === next));
  }
  document.body.dataset.channel = next;
  handleLabel.textContent = HANDLE_LABELS[next];
  handleInput.value = DEFAULT_HANDLES[next];
  log.replaceChildren();
  $('#unsupported').textContent = next === 'whatsapp' ? 'Send an order' : next === 'email' ? 'Attach a photo' : 'Send a photo';
  $('#subject-field').hidden = next !== 'email';
  $('#location').hidden = next !== 'whatsapp';
  $('#button').hidden = next !== 'whatsapp';
}

async function start(): Promise<void> {
  const response = await fetch('/demo/simulator.json');
  if (!response.ok) {
    statusLine.textContent = 'Start the server with --demo (npm start) to use the simulator.';
    return;
  }
  config = (await response.json()) as SimulatorConfig;
  for (const tab of document.querySelectorAll<HTMLButtonElement>('[role="tab"]')) {
    tab.addEventListener('click', () => selectChannel(tab.dataset.channel as Channel));
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = text.value.trim();
    if (!value) return;
    text.value = '';
    void sendCustomer('text', value);
  });
  text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  $('#location').addEventListener('click', () => void sendCustomer('location'));
  $('#button').addEventListener('click', () => void sendCustomer('button'));
  $('#unsupported').addEventListener('click', () => void sendCustomer('unsupported'));
  handleInput.addEventListener('change', () => log.replaceChildren());
  selectChannel('whatsapp');
  // Replies sent before the page opened are not this session's.
  const { messages } = (await (await fetch('/demo/graph-outbox')).json()) as { messages: OutboxEntry[] };
  outboxSeq = messages.at(-1)?.seq ?? 0;
  const mail = (await (await fetch('/demo/mail-outbox')).json()) as { messages: MailEntry[] };
  mailSeq = mail.messages.at(-1)?.seq ?? 0;
  void pollReplies();
  void pollMail();
}

void start();
