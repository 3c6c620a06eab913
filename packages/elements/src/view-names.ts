/**
 * The names some views take as values (sections, columns), apart from the views' code: the root
 * entry exports them without loading the views, which it registers on demand.
 */

/** The agenda's sections, in order. */
export const AGENDA_SECTIONS = ['overdue', 'today', 'upcoming'] as const;
export type AgendaSection = (typeof AGENDA_SECTIONS)[number];

/** Columns a host may choose for `<charla-contacts>`, in any order (`attributes.<name>` shows a custom attribute). */
export const CONTACT_COLUMNS = [
  'name', 'phone', 'email', 'company', 'channels', 'tags', 'ltv', 'lastInteractionAt', 'owner', 'openDeals', 'createdAt',
] as const;
export type ContactColumn = (typeof CONTACT_COLUMNS)[number] | `attributes.${string}`;

/** The settings' sections, in the order the navigation lists them. */
export const SETTINGS_SECTIONS = ['team', 'routing', 'hours', 'channels', 'widget', 'canned', 'pipelines', 'ai', 'csat', 'privacy', 'activity'] as const;
export type SettingsSectionName = (typeof SETTINGS_SECTIONS)[number];
