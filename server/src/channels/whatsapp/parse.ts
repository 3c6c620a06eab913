/** Meta's WhatsApp Cloud API webhook payloads, read into Charla's inbound shapes. */
import type { DeliveryStatus, MessageType } from '@charla/protocol';

type Json = Record<string, unknown>;

export interface WhatsappInbound {
  phoneNumberId: string | null;
  channelMessageId: string;
  from: string;
  /** Business-scoped user id of newer payloads (phone may then be absent). */
  userId: string | null;
  profileName: string | null;
  createdAt: string;
  type: MessageType;
  body: string;
  content: Json | null;
  referral: Json | null;
  /** Media to download (`GET /{media-id}`), for image/video/audio/document/sticker. */
  mediaId: string | null;
}

export interface WhatsappStatus {
  phoneNumberId: string | null;
  channelMessageId: string;
  status: DeliveryStatus;
  error: string | null;
  /** What the send carried as `biz_opaque_callback_data` (a broadcast recipient's id). */
  callbackData: string | null;
}

const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;
const MEDIA_LABEL: Record<(typeof MEDIA_TYPES)[number], string> = {
  image: 'Photo', video: 'Video', audio: 'Audio', document: 'Document', sticker: 'Sticker',
};

const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/** `"1739321024"` (Unix seconds as text) → ISO time; now when missing. */
export function secondsToIso(value: unknown): string {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : new Date().toISOString();
}

/** The readable text and structured content of one message of any type. */
function contentOf(message: Json): { type: MessageType; body: string; content: Json | null; mediaId: string | null } {
  const type = str(message.type) ?? 'unknown';
  const context = message.context ? { context: message.context } : {};
  if (type === 'text') {
    const text = obj(message.text);
    return { type: 'text', body: str(text.body) ?? '', content: message.context ? context : null, mediaId: null };
  }
  if ((MEDIA_TYPES as readonly string[]).includes(type)) {
    const media = obj(message[type]);
    const label = MEDIA_LABEL[type as (typeof MEDIA_TYPES)[number]];
    const body = str(media.caption) ?? str(media.filename) ?? label;
    return {
      type: type as MessageType,
      body,
      content: {
        ...context,
        media: {
          id: str(media.id), mimeType: str(media.mime_type), sha256: str(media.sha256),
          caption: str(media.caption), filename: str(media.filename), animated: media.animated === true,
          voice: media.voice === true, url: null,
        },
      },
      mediaId: str(media.id),
    };
  }
  if (type === 'interactive') {
    const interactive = obj(message.interactive);
    const reply = obj(interactive.button_reply ?? interactive.list_reply ?? interactive.nfm_reply);
    return {
      type: 'interactive',
      body: str(reply.title) ?? str(reply.body) ?? 'Interactive reply',
      content: { ...context, interactive },
      mediaId: null,
    };
  }
  if (type === 'button') {
    const button = obj(message.button);
    return { type: 'button', body: str(button.text) ?? str(button.payload) ?? 'Button', content: { ...context, button }, mediaId: null };
  }
  if (type === 'location') {
    const location = obj(message.location);
    const place = [str(location.name), str(location.address)].filter(Boolean).join(', ');
    const body = place || `${String(location.latitude)}, ${String(location.longitude)}`;
    return { type: 'location', body, content: { ...context, location }, mediaId: null };
  }
  if (type === 'contacts') {
    const cards = arr(message.contacts).map(obj);
    const names = cards.map((card) => str(obj(card.name).formatted_name) ?? 'Contact');
    return { type: 'contacts', body: names.join(', ') || 'Contact card', content: { ...context, contacts: cards }, mediaId: null };
  }
  if (type === 'reaction') {
    const reaction = obj(message.reaction);
    const emoji = str(reaction.emoji);
    return {
      type: 'reaction',
      body: emoji ?? 'Reaction removed',
      content: { reaction: { messageId: str(reaction.message_id), emoji } },
      mediaId: null,
    };
  }
  // Unknown and unsupported kinds are kept whole, never dropped.
  return { type: 'unsupported', body: `Unsupported message (${type})`, content: { unsupported: message }, mediaId: null };
}

function errorText(errors: unknown): string | null {
  const [first] = arr(errors).map(obj);
  if (!first) return null;
  const code = typeof first.code === 'number' ? `${first.code}: ` : '';
  const title = str(first.title) ?? str(first.message) ?? 'Failed';
  const details = str(obj(first.error_data).details);
  return `${code}${title}${details ? ` (${details})` : ''}`;
}

const STATUS_MAP: Record<string, DeliveryStatus> = { sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed' };

/** Every message and delivery status of a `whatsapp_business_account` webhook payload. */
export function parseWhatsappWebhook(payload: unknown): { messages: WhatsappInbound[]; statuses: WhatsappStatus[] } {
  const messages: WhatsappInbound[] = [];
  const statuses: WhatsappStatus[] = [];
  for (const entry of arr(obj(payload).entry).map(obj)) {
    for (const change of arr(entry.changes).map(obj)) {
      if (change.field !== 'messages') continue;
      const value = obj(change.value);
      const phoneNumberId = str(obj(value.metadata).phone_number_id);
      const profiles = arr(value.contacts).map(obj);
      for (const message of arr(value.messages).map(obj)) {
        const id = str(message.id);
        const from = str(message.from);
        if (!id || !from) continue;
        const profile = profiles.find((p) => p.wa_id === from || p.user_id === from) ?? profiles[0] ?? {};
        messages.push({
          phoneNumberId,
          channelMessageId: id,
          from,
          userId: str(profile.user_id),
          profileName: str(obj(profile.profile).name),
          createdAt: secondsToIso(message.timestamp),
          referral: message.referral ? obj(message.referral) : null,
          ...contentOf(message),
        });
      }
      for (const status of arr(value.statuses).map(obj)) {
        const id = str(status.id);
        const mapped = STATUS_MAP[str(status.status) ?? ''];
        if (!id || !mapped) continue;
        statuses.push({ phoneNumberId, channelMessageId: id, status: mapped, error: errorText(status.errors), callbackData: str(status.biz_opaque_callback_data) });
      }
    }
  }
  return { messages, statuses };
}

/** The phone number ids a payload is addressed to (to find the workspace before trusting it). */
export function whatsappAccounts(payload: unknown): string[] {
  const ids = new Set<string>();
  for (const entry of arr(obj(payload).entry).map(obj)) {
    for (const change of arr(entry.changes).map(obj)) {
      const id = str(obj(obj(change.value).metadata).phone_number_id);
      if (id) ids.add(id);
    }
  }
  return [...ids];
}
