/**
 * `import '@charla/webchat'` registers `<charla-webchat>`:
 * `<charla-webchat workspace="KEY" server="https://charla.example.com"></charla-webchat>`.
 */
import './charla-webchat.js';

export { CharlaWebchat } from './webchat.component.js';
export type { WebchatCloseEvent, WebchatMessageEvent, WebchatSendEvent, WebchatEventMap } from './webchat.events.js';
export { LOCALES, type Locale } from './i18n.js';
