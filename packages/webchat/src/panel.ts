/**
 * The chunk /widget.js imports when the visitor first opens the chat: the element and all it
 * needs (Lit, the visitor client, socket.io), none of which the host page pays for before.
 */
import './charla-webchat.js';

export { CharlaWebchat } from './webchat.component.js';
