import { defineStrings } from '../i18n/strings.js';

const en = {
  label: 'Companies',
  search: 'Search name or domain',
  sort: 'Sort by',
  'sort.name': 'Name',
  'sort.people': 'People',
  'sort.ltv': 'Lifetime value',
  'sort.openDeals': 'Open deals',
  total: '{count} companies',
  people: 'People',
  onePerson: '1 person',
  peopleCount: '{count} people',
  oneOpenDeal: '1 open deal',
  openDealsCount: '{count} open deals',
  openDeals: 'Open deals',
  ltv: 'Lifetime value',
  lastInteraction: 'Last interaction',
  never: 'Never',
  deals: 'Deals',
  noDeals: 'No deals',
  noPeople: 'Nobody yet',
  timeline: 'Timeline',
  empty: 'No companies yet',
  emptySearch: 'No companies match “{query}”',
  error: 'Companies could not be loaded',
  detailError: 'The company could not be loaded',
  loadMore: 'Load more',
  pick: 'Pick a company to see its people, deals and timeline',
  unnamed: 'No name',
  'status.open': 'open',
  'status.won': 'won',
  'status.lost': 'lost',
} as const;

export type CompaniesString = keyof typeof en;

/** The companies view's own strings, kept beside it; `{name}` placeholders are filled from `values`. */
export const companiesString = defineStrings<CompaniesString>('companies', en, {
  es: () => import('./companies.es.js'),
  pt: () => import('./companies.pt.js'),
});
