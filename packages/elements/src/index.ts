/**
 * @charla/elements — importing this module registers every Charla agent element. The
 * conversation views (inbox, thread, contact panel, timeline, presence, provider, workspace) load
 * with it; the views a page shows only sometimes (pipeline board, dashboard, settings, contacts,
 * companies, broadcasts, agenda) load the first time their tag appears in the document (see `./autoload.ts`;
 * `whenDefined(tag)` waits for one).
 * Each element's own entry (`@charla/elements/dashboard.js`) registers it at once.
 */
import { defineOnDemand } from './autoload.js';

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
export type { CharlaKanban } from './kanban/charla-kanban.js';
export type { DealMoveDetail, DealMovedDetail, DealOpenDetail, PipelineSelectDetail, KanbanCardContext } from './kanban/kanban.component.js';
export { CharlaTimeline } from './timeline/charla-timeline.js';
export { TIMELINE_GROUPS, type TimelineGroup, type TimelineOpenDetail } from './timeline/timeline.component.js';
export type { CharlaAgenda } from './agenda/charla-agenda.js';
export type { CharlaContacts } from './contacts/charla-contacts.js';
export type { BroadcastComposeDetail, ContactOpenDetail } from './contacts/contacts.component.js';
export type { CharlaBroadcasts } from './broadcasts/charla-broadcasts.js';
export type { CharlaCompanies } from './companies/charla-companies.js';
export type { CompanySelectDetail } from './companies/companies.component.js';
export type { CharlaDashboard } from './dashboard/charla-dashboard.js';
export { CharlaPresence } from './presence/charla-presence.js';
export type {
  CharlaSettings, CharlaSettingsTeam, CharlaSettingsRouting, CharlaSettingsHours, CharlaSettingsChannels, CharlaSettingsWidget,
  CharlaSettingsCanned, CharlaSettingsPipelines, CharlaSettingsAi, CharlaSettingsCsat, CharlaSettingsPrivacy, CharlaSettingsActivity,
} from './settings/charla-settings.js';
export type { SettingsSectionChangeDetail } from './settings/settings.component.js';
export { CharlaWorkspace } from './workspace/charla-workspace.js';
export { WORKSPACE_PANES, WORKSPACE_LAYOUTS, type WorkspacePane, type WorkspaceLayout, type PaneChangeDetail } from './workspace/workspace.component.js';
export type { PresenceChangeDetail } from './presence/presence.component.js';
export type { DashboardData, DashboardRangeDetail, DashboardService, DashboardStatus, TargetChangeDetail } from './dashboard/dashboard.component.js';
export type { TaskOpenDetail, TaskDoneDetail } from './agenda/agenda.component.js';
export { CharlaClient, VisitorClient } from '@charla/client';
export {
  AGENDA_SECTIONS, CONTACT_COLUMNS, SETTINGS_SECTIONS, type AgendaSection, type ContactColumn, type SettingsSectionName,
} from './view-names.js';
export { defineAll, discover, whenDefined } from './autoload.js';

defineOnDemand({
  'charla-agenda': () => import('./agenda/charla-agenda.js'),
  'charla-broadcasts': () => import('./broadcasts/charla-broadcasts.js'),
  'charla-contacts': () => import('./contacts/charla-contacts.js'),
  'charla-companies': () => import('./companies/charla-companies.js'),
  'charla-dashboard': () => import('./dashboard/charla-dashboard.js'),
  'charla-kanban': () => import('./kanban/charla-kanban.js'),
  'charla-settings': () => import('./settings/charla-settings.js'),
  'charla-settings-team': () => import('./settings/charla-settings-team.js'),
  'charla-settings-routing': () => import('./settings/charla-settings-routing.js'),
  'charla-settings-hours': () => import('./settings/charla-settings-hours.js'),
  'charla-settings-channels': () => import('./settings/charla-settings-channels.js'),
  'charla-settings-widget': () => import('./settings/charla-settings-widget.js'),
  'charla-settings-canned': () => import('./settings/charla-settings-canned.js'),
  'charla-settings-pipelines': () => import('./settings/charla-settings-pipelines.js'),
  'charla-settings-ai': () => import('./settings/charla-settings-ai.js'),
  'charla-settings-csat': () => import('./settings/charla-settings-csat.js'),
  'charla-settings-privacy': () => import('./settings/charla-settings-privacy.js'),
  'charla-settings-activity': () => import('./settings/charla-settings-activity.js'),
});
