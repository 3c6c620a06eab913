import { html, nothing, type TemplateResult } from 'lit';
import type { Message } from '@charla/protocol';
import { imageSource } from '@charla/protocol/urls';
import type { StringKey } from '../i18n/localize-controller.js';
import { conversationStrings } from './conversation.strings.js';
import { useStrings } from '../i18n/strings.js';
import { clipIcon, imageIcon, linkIcon, personIcon, pinIcon } from '../shared/icons.js';

useStrings(conversationStrings);

type Translate = (key: StringKey, values?: Record<string, string | number>) => string;
/** A stored attachment's URL as the page may load it: `undefined` while it loads, null when unavailable. */
export type MediaResolver = (url: string) => string | null | undefined;
type Content = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);
const record = (value: unknown): Content | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Content) : undefined;

/**
 * Only http(s) links are followed; anything else (javascript:, data:) is shown as text. `blob:`
 * URLs are the client's own copies of stored attachments (`allowBlob`).
 */
function safeUrl(value: unknown, allowBlob = false): string | undefined {
  const url = text(value);
  if (!url) return undefined;
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' || (allowBlob && parsed.protocol === 'blob:') ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The body of a message by its type: text as text, media with a link to the file, locations with a
 * map link, shared contacts, button replies, reactions, and unsupported types said as such.
 * Everything the customer sent is rendered as text, never as HTML. Attachments the server stored
 * (`content.media.url`, behind the agent's token) go through `resolve`.
 */
export function messageContent(message: Message, t: Translate, resolve: MediaResolver = (url) => url): TemplateResult | string {
  const content = record(message.content) ?? {};
  // WhatsApp's own shape, the copy the server stored, an Instagram attachment, or the content itself.
  const attachment = Array.isArray(content['attachments']) ? record(content['attachments'][0]) : undefined;
  const media = record(content[message.type]) ?? record(content['media']) ?? attachment ?? content;
  // Channel media say their caption themselves (their body is only a label such as "Photo").
  const labelled = 'caption' in media || media === attachment;
  const caption = text(media['caption']) ?? (!labelled && message.body && message.body !== `[${message.type}]` ? message.body : undefined);
  const mediaUrl = () => {
    const raw = text(media['url'] ?? media['link']);
    const resolved = raw ? resolve(raw) : null;
    return resolved === undefined ? undefined : (safeUrl(resolved, resolved !== raw) ?? null);
  };
  switch (message.type) {
    case 'image':
    case 'sticker': {
      const url = mediaUrl();
      if (url === undefined) return html`<span class="kind" role="status">${imageIcon} ${t('content.loading')}</span>${caption ? html`<span class="caption">${caption}</span>` : nothing}`;
      const src = imageSource(url);
      return html`${url && src
          ? html`<a href=${url} target="_blank" rel="noopener noreferrer"
              ><img class="media" src=${src} alt=${caption ?? t('content.image')} loading="lazy"
            /></a>`
          : html`<span class="kind">${imageIcon} ${t('content.image')}</span>`}${caption ? html`<span class="caption">${caption}</span>` : nothing}`;
    }
    case 'video':
    case 'audio':
    case 'document': {
      const url = mediaUrl();
      const name = text(media['filename']) ?? t(`content.${message.type}`);
      const mime = text(media['mime_type'] ?? media['mimeType']);
      return html`<span class="attachment"
          >${url ? html`<a href=${url} target="_blank" rel="noopener noreferrer" download>${name}</a>` : name}${mime
            ? html` <span class="muted">(${mime})</span>`
            : nothing}</span
        >${caption && caption !== name ? html`<span class="caption">${caption}</span>` : nothing}`;
    }
    case 'location': {
      const lat = Number(media['latitude']);
      const lng = Number(media['longitude']);
      const label = [text(media['name']), text(media['address'])].filter(Boolean).join(' · ') || t('content.location');
      return Number.isFinite(lat) && Number.isFinite(lng)
        ? html`<span class="kind">${pinIcon}</span>
            <a href="https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=16/${lat}/${lng}" target="_blank" rel="noopener noreferrer"
              >${label}</a
            >`
        : html`<span class="kind">${pinIcon} ${label}</span>`;
    }
    case 'contacts': {
      const cards = Array.isArray(content['contacts']) ? (content['contacts'] as unknown[]) : [];
      if (cards.length === 0) return message.body;
      return html`${cards.map((card) => {
        const entry = record(card) ?? {};
        const name = text(record(entry['name'])?.['formatted_name']) ?? text(entry['name']) ?? t('content.contact');
        const phones = (Array.isArray(entry['phones']) ? entry['phones'] : [])
          .map((phone) => text(record(phone)?.['phone']) ?? text(record(phone)?.['wa_id']))
          .filter(Boolean);
        return html`<span class="card"><strong>${personIcon} ${name}</strong>${phones.length ? html`<span>${phones.join(', ')}</span>` : nothing}</span>`;
      })}`;
    }
    case 'interactive':
    case 'button':
      return html`<span class="kind">${t('content.buttonReply')}</span> ${message.body}`;
    case 'reaction': {
      const emoji = text(media['emoji']);
      return emoji ? t('content.reacted', { emoji }) : t('content.reactionRemoved');
    }
    case 'unsupported':
      return html`<span class="kind">⚠ ${t('content.unsupported')}</span>${message.body ? html` ${message.body}` : nothing}`;
    default: {
      // A link card (a quick action's payment link): the text, then the card with its title and address.
      const link = record(content['link']);
      const href = link && safeUrl(link['url']);
      if (link && href) {
        const before = message.body.replace(href, '').replace(String(link['url']), '').trim();
        return html`${before}<a class="card link-card" part="link-card" href=${href} target="_blank" rel="noopener noreferrer nofollow"
          ><strong>${linkIcon} ${text(link['title']) ?? href}</strong><span class="muted">${href}</span></a>`;
      }
      // An email's attachments (and inline images): named files kept by the server, offered as downloads.
      const files = (Array.isArray(content['attachments']) ? content['attachments'] : [])
        .map(record)
        .filter((file): file is Content => Boolean(file && text(file['filename']) && text(file['url'])));
      if (files.length === 0) return message.body;
      return html`${message.body}<span class="attachments">${files.map((file) => {
        const raw = text(file['url'])!;
        const resolved = resolve(raw);
        const url = resolved === undefined || resolved === null ? null : safeUrl(resolved, resolved !== raw);
        const name = text(file['filename'])!;
        return html`<span class="attachment"
          >${clipIcon} ${url ? html`<a href=${url} target="_blank" rel="noopener noreferrer" download=${name}>${name}</a>` : name}${text(file['type'])
            ? html` <span class="muted">(${text(file['type'])})</span>`
            : nothing}</span
        >`;
      })}</span>`;
    }
  }
}

/** The part of an email a thread shows besides its text: the subject, and the sanitized HTML. */
export function emailOf(message: Message): { subject: string | undefined; html: string | undefined } | null {
  const email = record(record(message.content)?.['email']);
  if (!email) return null;
  return { subject: text(email['subject']), html: text(email['html']) };
}

/**
 * The document a sandboxed frame shows an email's HTML in. The server sanitized it on an allow-list;
 * the frame (`sandbox=""`: no scripts, no forms, no same origin) and this policy (nothing loads:
 * no images, no fonts, no styles from elsewhere) make sure nothing in it runs or calls out.
 */
export function emailDocument(sanitized: string): string {
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; media-src 'none'; font-src 'none'; form-action 'none'; base-uri 'none'">
<style>body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:8px;color:#1c2430;background:#fff;overflow-wrap:anywhere}blockquote{margin:0 0 0 4px;padding-left:8px;border-left:3px solid #c9d1db;color:#5b6777}table{border-collapse:collapse;max-width:100%}td,th{padding:2px 4px}</style>
</head><body>${sanitized}</body></html>`;
}
