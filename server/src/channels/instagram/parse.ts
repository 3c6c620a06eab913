/**
 * Meta's Instagram messaging and Messenger webhook payloads (`object: "instagram"` and
 * `object: "page"`, one envelope), read into Charla's inbound shapes.
 */
import type { MessageType } from '@charla/protocol';

type Json = Record<string, unknown>;

export interface PageEvent {
  accountId: string | null;
  channelMessageId: string;
  /** The customer's IGSID or PSID (the recipient when it is an echo). */
  customerId: string;
  echo: boolean;
  createdAt: string;
  type: MessageType;
  body: string;
  content: Json | null;
}

const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

const ATTACHMENT_TYPES: Record<string, MessageType> = { image: 'image', video: 'video', audio: 'audio', file: 'document', sticker: 'sticker' };
/** What an attachment without text says in previews (as WhatsApp media do). */
const ATTACHMENT_LABELS: Record<string, string> = { image: 'Photo', video: 'Video', audio: 'Audio', file: 'Document', sticker: 'Sticker', location: 'Location' };

/** Milliseconds (Instagram's and Messenger's timestamps are numbers in ms) → ISO time. */
function msToIso(value: unknown): string {
  const ms = Number(value);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : new Date().toISOString();
}

export function parsePageWebhook(payload: unknown): PageEvent[] {
  const events: PageEvent[] = [];
  for (const entry of arr(obj(payload).entry).map(obj)) {
    const accountId = str(entry.id);
    for (const messaging of arr(entry.messaging).map(obj)) {
      const message = obj(messaging.message);
      const mid = str(message.mid);
      if (!mid) continue;
      const echo = message.is_echo === true;
      const customerId = str(obj(echo ? messaging.recipient : messaging.sender).id);
      if (!customerId) continue;
      const attachments = arr(message.attachments).map(obj);
      const text = str(message.text);
      const first = attachments[0];
      const attachmentType = first ? (ATTACHMENT_TYPES[str(first.type) ?? ''] ?? 'unsupported') : null;
      const type: MessageType = text || !attachmentType ? 'text' : attachmentType;
      const extra: Json = {};
      if (attachments.length > 0) {
        extra.attachments = attachments.map((a) => ({ type: str(a.type), url: str(obj(a.payload).url) }));
      }
      if (message.reply_to) extra.replyTo = message.reply_to;
      // A tapped quick reply (a survey's rating): its payload says which.
      if (message.quick_reply) extra.quickReply = message.quick_reply;
      events.push({
        accountId,
        channelMessageId: mid,
        customerId,
        echo,
        createdAt: msToIso(messaging.timestamp),
        type: text || attachmentType !== 'unsupported' ? type : 'unsupported',
        body: text ?? (first ? (ATTACHMENT_LABELS[str(first.type) ?? ''] ?? 'Attachment') : 'Unsupported message'),
        content: Object.keys(extra).length > 0 ? extra : text ? null : { unsupported: message },
      });
    }
  }
  return events;
}

export function pageAccounts(payload: unknown): string[] {
  return [...new Set(arr(obj(payload).entry).map((entry) => str(obj(entry).id)).filter((id): id is string => id !== null))];
}
