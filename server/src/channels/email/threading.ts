/**
 * How Charla's mail threads: its own `Message-ID`s, and a `Reply-To` carrying a signed
 * per-conversation token (`support+TOKEN@example.com`) that brings the customer's answer back
 * to the conversation even when their client drops the threading headers.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_LENGTH = 16;

function signature(secret: string, conversationId: string): string {
  return createHmac('sha256', secret).update(`reply:${conversationId}`).digest('base64url').slice(0, SIGNATURE_LENGTH).toLowerCase();
}

/** `conversationId.signature` (the signature lowercase: some servers lowercase what they can). */
export function replyToken(secret: string, conversationId: string): string {
  return `${conversationId}.${signature(secret, conversationId)}`;
}

/** The inbox address with the token: `support@example.com` → `support+TOKEN@example.com`. */
export function replyAddress(inbox: string, secret: string, conversationId: string): string {
  const at = inbox.lastIndexOf('@');
  return `${inbox.slice(0, at)}+${replyToken(secret, conversationId)}${inbox.slice(at)}`;
}

/** The conversation id a recipient address carries, when its token is the inbox's own. */
export function conversationOfAddress(address: string, inbox: string, secret: string): string | null {
  const at = address.lastIndexOf('@');
  const inboxAt = inbox.lastIndexOf('@');
  if (at < 0 || address.slice(at).toLowerCase() !== inbox.slice(inboxAt).toLowerCase()) return null;
  const match = /^([^+]+)\+([a-z0-9_-]+)\.([A-Za-z0-9_-]+)$/i.exec(address.slice(0, at));
  if (!match || match[1]!.toLowerCase() !== inbox.slice(0, inboxAt).toLowerCase()) return null;
  const conversationId = match[2]!;
  const given = Buffer.from(match[3]!.toLowerCase());
  const expected = Buffer.from(signature(secret, conversationId));
  return given.length === expected.length && timingSafeEqual(given, expected) ? conversationId : null;
}

/** The Message-ID of an agent's reply: stable, so a retried send is the same message. */
export function ownMessageId(messageId: string, inbox: string): string {
  return `<${messageId}@${inbox.slice(inbox.lastIndexOf('@') + 1)}>`;
}

/** `Re: subject`, unless it already is a reply. */
export function replySubject(subject: string): string {
  const trimmed = subject.trim();
  if (!trimmed) return '';
  return /^(re|aw|res|rv)\s*:/i.test(trimmed) ? trimmed : `Re: ${trimmed}`;
}
