/**
 * A workspace's own settings: its name, the country its customers' national phone numbers are read
 * in, its time zone and its currency (`GET|PATCH /api/v1/workspace`, admins).
 */
import { z } from 'zod';
import { isTimeZone } from './widget.js';

/** ISO 3166-1 alpha-2: the countries a workspace may be in. */
export const COUNTRY_CODES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC ' +
  'CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD ' +
  'GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH ' +
  'KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW ' +
  'MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC ' +
  'SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY ' +
  'UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');
const COUNTRIES = new Set(COUNTRY_CODES);

let currencies: Set<string> | undefined;
/** ISO 4217 codes as the runtime's Intl knows them (read once, on first use). */
export function isCurrency(code: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  return currencies.has(code);
}

export const countryCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine((code) => COUNTRIES.has(code), 'Not an ISO 3166-1 alpha-2 country code, e.g. MX');

export const currencyCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine((code) => /^[A-Z]{3}$/.test(code) && isCurrency(code), 'Not an ISO 4217 currency code, e.g. MXN');

export const timeZoneSchema = z.string().trim().min(1).max(64).refine(isTimeZone, 'Unknown time zone, e.g. America/Mexico_City');

/**
 * Which conversations agents and viewers see (admins see all): `all`, or `teams` — those of their
 * teams, those of no team yet (so nothing new falls between teams) and those assigned to them.
 */
export const AGENT_VISIBILITIES = ['all', 'teams'] as const;
export type AgentVisibility = (typeof AGENT_VISIBILITIES)[number];

export const workspaceSettingsSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** National phone numbers (`55 1234 5678`) are read as numbers of this country. */
    defaultCountry: countryCodeSchema,
    timezone: timeZoneSchema,
    currency: currencyCodeSchema,
    agentVisibility: z.enum(AGENT_VISIBILITIES),
  })
  .strict();

export const workspaceSettingsPatchSchema = workspaceSettingsSchema
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one of name, defaultCountry, timezone, currency, agentVisibility');

export type WorkspaceSettings = z.output<typeof workspaceSettingsSchema>;
export type WorkspaceSettingsPatch = z.output<typeof workspaceSettingsPatchSchema>;

/** What a workspace created without them starts with. */
export const DEFAULT_WORKSPACE_SETTINGS: Omit<WorkspaceSettings, 'name'> = {
  defaultCountry: 'US', timezone: 'UTC', currency: 'USD', agentVisibility: 'all',
};
