/** REST for the contacts directory: search with filters, bulk actions, export of a selection, segments. */
import {
  companySearchSchema, contactBulkRequestSchema, contactSelectionExportSchema, directoryRequestSchema, segmentContactsRequestSchema, segmentCreateSchema,
  segmentPatchSchema, type Agent,
} from '@charla/protocol';
import express, { Router } from 'express';
import { CharlaFailure } from '../failure.js';
import { exportContacts } from '../identity/import.js';
import { auditedRole } from '../privacy/api.js';
import {
  bulkUpdateContacts, companyOverview, createSegment, searchCompanies, deleteSegment, listSegments, searchDirectory, segmentContacts, selectedIds, updateSegment, type Clock,
} from '../services/directory.js';
import type { Store } from '../store/index.js';
import { parseInput, requireObject } from '../validation.js';
import { authenticate, queryOf, signedIn } from './api.js';

/** A selection of 20,000 ids is about 600 KB of JSON. */
const json = express.json({ limit: '2mb' });

export function createDirectoryRouter(store: Store, clock: Clock): Router {
  const router = Router();
  const auth = authenticate(store);

  router.post('/contacts/search', auth, json, async (req, res) => {
    res.json(await searchDirectory(store, signedIn(res), parseInput(directoryRequestSchema, requireObject(req.body)), clock));
  });
  router.post('/contacts/bulk', auth, json, async (req, res) => {
    const agent = signedIn(res, 'agent');
    res.json(await bulkUpdateContacts(store, agent, parseInput(contactBulkRequestSchema, requireObject(req.body)), clock));
  });
  /** The selected contacts as CSV or JSON: agents and admins only; refusals and exports are both audited. */
  router.post('/contacts/export', auth, json, async (req, res) => {
    const agent = await auditedRole(store, res, 'agent', 'contacts.export', { kind: 'workspace', id: (res.locals.agent as Agent).workspaceId });
    const { selection, format } = parseInput(contactSelectionExportSchema, requireObject(req.body));
    const ids = await selectedIds(store, agent, selection, clock);
    if (ids.length === 0) throw new CharlaFailure('invalid_payload', 'selection: No contact of this workspace is selected');
    await store.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'contacts.export', targetKind: 'workspace', targetId: agent.workspaceId,
      data: { format, contacts: ids.length },
    });
    res.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json');
    res.attachment(`contacts.${format}`);
    await exportContacts(store, agent, format, (chunk) => res.write(chunk), ids);
    res.end();
  });

  router.get('/segments', auth, async (_req, res) => {
    res.json(await listSegments(store, signedIn(res), clock));
  });
  router.post('/segments', auth, json, async (req, res) => {
    const agent = signedIn(res, 'agent');
    res.status(201).json(await createSegment(store, agent, parseInput(segmentCreateSchema, requireObject(req.body)), clock));
  });
  router.patch('/segments/:id', auth, json, async (req, res) => {
    const agent = signedIn(res, 'agent');
    res.json(await updateSegment(store, agent, req.params.id as string, parseInput(segmentPatchSchema, requireObject(req.body)), clock));
  });
  router.delete('/segments/:id', auth, async (req, res) => {
    const agent = signedIn(res, 'agent');
    res.json(await deleteSegment(store, agent, req.params.id as string));
  });
  router.get('/segments/:id/contacts', auth, async (req, res) => {
    const input = parseInput(segmentContactsRequestSchema, queryOf(req));
    res.json(await segmentContacts(store, signedIn(res), req.params.id as string, input, clock));
  });

  router.post('/companies/search', auth, json, async (req, res) => {
    res.json(await searchCompanies(store, signedIn(res), parseInput(companySearchSchema, requireObject(req.body)), clock));
  });
  router.get('/companies/:id', auth, async (req, res) => {
    res.json(await companyOverview(store, signedIn(res), req.params.id as string, clock));
  });
  return router;
}
