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

declare global {
  interface GlobalEventHandlersEventMap extends WebchatEventMap {}
}
