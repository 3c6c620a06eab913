import type { VisitorMessage } from '@charla/protocol';

/** The visitor asked to close the chat (close button or Escape). */
export type WebchatCloseEvent = CustomEvent<Record<string, never>>;
/** The visitor sent a message; `clientId` is null in data mode (no client to send it). */
export type WebchatSendEvent = CustomEvent<{ body: string; clientId: string | null }>;
/** A message newly stored in the conversation (either side), not one loaded from history. */
export type WebchatMessageEvent = CustomEvent<{ message: VisitorMessage }>;

export interface WebchatEventMap {
  'charla-webchat-close': WebchatCloseEvent;
  'charla-webchat-send': WebchatSendEvent;
  'charla-webchat-message': WebchatMessageEvent;
}

/** Builds a webchat event: it bubbles and leaves shadow roots, like the UI events it stands for. */
export function webchatEvent<K extends keyof WebchatEventMap>(type: K, detail: WebchatEventMap[K]['detail']): WebchatEventMap[K] {
  return new CustomEvent(type, { detail, bubbles: true, composed: true }) as WebchatEventMap[K];
}

declare global {
  interface GlobalEventHandlersEventMap extends WebchatEventMap {}
}
