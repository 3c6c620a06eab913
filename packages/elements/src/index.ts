/** @charla/elements — importing this module registers every Charla agent element. */
export { CharlaElement } from './base/charla-element.js';
export { ClientElement } from './controllers/client-element.js';
export { clientContext } from './context/client-context.js';
export { LocalizeController } from './i18n/localize-controller.js';
export { LOCALES, pickLocale, type Locale } from './i18n/strings.js';
export { tokens, darkTokens, tokensCss } from './styles/tokens.js';
export { CharlaProvider } from './provider/charla-provider.js';
export { CharlaInbox } from './inbox/charla-inbox.js';
export { INBOX_TABS, type InboxTab, type ConversationSelectDetail } from './inbox/inbox.component.js';
export { CharlaThread } from './thread/charla-thread.js';
export type { MessageSendDetail, MessageRetryDetail } from './thread/thread.component.js';
export { CharlaClient, VisitorClient } from '@charla/client';
