/**
 * @charla/react — Charla's elements as React components (made with @lit/react): typed props set as
 * properties (never attributes, so the token never reaches the DOM) and `onConversationSelect`-style
 * events. Each component registers only its own element.
 */
export { CharlaInbox } from './inbox.js';
export { CharlaThread } from './thread.js';
export { CharlaContactPanel } from './contact-panel.js';
export { CharlaKanban } from './kanban.js';
export { CharlaTimeline } from './timeline.js';
export { CharlaWorkspace } from './workspace.js';
export { CharlaSettings } from './settings.js';
export { CharlaAgenda } from './agenda.js';
export { CharlaContacts } from './contacts.js';
export { CharlaBroadcasts } from './broadcasts.js';
export { CharlaCompanies } from './companies.js';
export { CharlaDashboard } from './dashboard.js';
export { CharlaPresence } from './presence.js';
export { CharlaProvider } from './provider.js';
export type {
  ContactPanelSection,
  InboxRowContext,
  KanbanCardContext,
  MessageRenderContext,
  Rendered,
  Renderer,
  ConversationSelectDetail,
  ContactEditDetail,
  ContactOpenDetail,
  CompanySelectDetail,
  ContactMergeDetail,
  DashboardRangeDetail,
  DealMoveDetail,
  DealMovedDetail,
  DealOpenDetail,
  MessageRevealDetail,
  MessageRetryDetail,
  MessageSendDetail,
  NoteCreateDetail,
  PipelineSelectDetail,
  PresenceChangeDetail,
  TargetChangeDetail,
  TaskDoneDetail,
  TaskOpenDetail,
  TimelineOpenDetail,
} from '@charla/elements';
export { CharlaClient } from '@charla/client';
