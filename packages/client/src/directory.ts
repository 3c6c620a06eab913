/** The contacts directory over REST: pages of contacts, segments, bulk actions and exports. */
import type {
  CompanyPage, CompanySearchRequest, CompanySummary, ContactBulkResult, ContactSelection, Deal, DirectoryPage, DirectoryRequest, Segment,
} from '@charla/protocol';
import { call, type Api } from './rest.js';

/** One page of the contacts matching `request.filter`, with the total. */
export async function searchDirectory(client: Api, request: DirectoryRequest): Promise<DirectoryPage> {
  return (await call<DirectoryPage>(client, '/api/v1/contacts/search', request)).json();
}

/** The built-in and saved segments with their counts now. */
export async function fetchSegments(client: Api): Promise<Segment[]> {
  return ((await (await call<{ segments: Segment[] }>(client, '/api/v1/segments')).json())).segments;
}

export interface ContactBulkChange {
  addTags?: string[];
  removeTags?: string[];
  ownerId?: string | null;
}

/** Tags and owner of every selected contact, in one request. */
export async function bulkUpdateContacts(client: Api, selection: ContactSelection, change: ContactBulkChange): Promise<ContactBulkResult> {
  return (await call<ContactBulkResult>(client, '/api/v1/contacts/bulk', { selection, ...change })).json();
}

/** The selected contacts as a CSV or JSON file. */
export async function exportContacts(client: Api, selection: ContactSelection, format: 'csv' | 'json'): Promise<Blob> {
  return (await call(client, '/api/v1/contacts/export', { selection, format })).blob();
}


/** A page of companies with their people, open deals, lifetime value and last interaction. */
export async function searchCompanies(client: Api, request: CompanySearchRequest): Promise<CompanyPage> {
  return (await call<CompanyPage>(client, '/api/v1/companies/search', request)).json();
}

export interface CompanyOverview {
  company: CompanySummary;
  people: DirectoryPage;
  deals: Deal[];
}

/** One company: its figures, its people and its deals. */
export async function fetchCompany(client: Api, companyId: string): Promise<CompanyOverview> {
  return (await call<CompanyOverview>(client, `/api/v1/companies/${encodeURIComponent(companyId)}`)).json();
}
