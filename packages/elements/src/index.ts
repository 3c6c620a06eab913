/** @charla/elements — importing this module registers every Charla agent element. */
export { CharlaElement } from './base/charla-element.js';
export { ClientElement } from './controllers/client-element.js';
export { clientContext } from './context/client-context.js';
export { LocalizeController } from './i18n/localize-controller.js';
export { DEFAULT_LOCALE, LOCALES, loadLocale, pickLocale, registerLocale, type Locale, type Strings } from './i18n/strings.js';
export { tokens, darkTokens, tokensCss } from './styles/tokens.js';
export { CharlaProvider } from './provider/charla-provider.js';
export { CharlaInbox } from './inbox/charla-inbox.js';
export { INBOX_TABS, type InboxTab, type ConversationSelectDetail, type InboxRowContext } from './inbox/inbox.component.js';
export type { Renderer, Rendered } from './shared/renderer.js';
export { CharlaThread } from './thread/charla-thread.js';
export { CharlaContactPanel } from './contact-panel/charla-contact-panel.js';
export type { ContactEditDetail, ContactMergeDetail, MessageRevealDetail, NoteCreateDetail, EditableField } from './contact-panel/contact-panel.component.js';
export { CONTACT_PANEL_SECTIONS, type ContactPanelSection } from './contact-panel/contact-panel.component.js';
export type { MessageSendDetail, MessageRetryDetail, MessageRenderContext } from './thread/thread.component.js';
export { CharlaKanban } from './kanban/charla-kanban.js';
export type { DealMoveDetail, DealMovedDetail, DealOpenDetail, PipelineSelectDetail, KanbanCardContext } from './kanban/kanban.component.js';
export { CharlaTimeline } from './timeline/charla-timeline.js';
export { TIMELINE_GROUPS, type TimelineGroup, type TimelineOpenDetail } from './timeline/timeline.component.js';
export { CharlaAgenda } from './agenda/charla-agenda.js';
export { CharlaContacts } from './contacts/charla-contacts.js';
export { CONTACT_COLUMNS, type BroadcastComposeDetail, type ContactColumn, type ContactOpenDetail } from './contacts/contacts.component.js';
export { CharlaBroadcasts } from './broadcasts/charla-broadcasts.js';
export { CharlaCompanies } from './companies/charla-companies.js';
export type { CompanySelectDetail } from './companies/companies.component.js';
export { CharlaDashboard } from './dashboard/charla-dashboard.js';
export { CharlaPresence } from './presence/charla-presence.js';
export {
  CharlaSettings, CharlaSettingsTeam, CharlaSettingsRouting, CharlaSettingsHours, CharlaSettingsChannels, CharlaSettingsWidget,
  CharlaSettingsCanned, CharlaSettingsPipelines, CharlaSettingsAi, CharlaSettingsPrivacy, CharlaSettingsActivity,
} from './settings/charla-settings.js';
export { SETTINGS_SECTIONS, type SettingsSectionName, type SettingsSectionChangeDetail } from './settings/settings.component.js';
export { CharlaWorkspace } from './workspace/charla-workspace.js';
export { WORKSPACE_PANES, WORKSPACE_LAYOUTS, type WorkspacePane, type WorkspaceLayout, type PaneChangeDetail } from './workspace/workspace.component.js';
export type { PresenceChangeDetail } from './presence/presence.component.js';
export type { DashboardData, DashboardRangeDetail, DashboardService, DashboardStatus, TargetChangeDetail } from './dashboard/dashboard.component.js';
export { AGENDA_SECTIONS, type AgendaSection, type TaskOpenDetail, type TaskDoneDetail } from './agenda/agenda.component.js';
export { CharlaClient, VisitorClient } from '@charla/client';
