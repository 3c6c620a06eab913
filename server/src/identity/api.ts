/** REST for identity: merging contacts (preview, undo, possible duplicates), CSV import, export, companies. */
import {
  contactMergeRequestSchema, contactRefSchema, contactUnmergeRequestSchema, duplicateDismissRequestSchema, duplicateListRequestSchema,
} from '@charla/protocol';
import express, { Router } from 'express';
import { CharlaFailure } from '../failure.js';
import { authenticate, signedIn } from '../http/api.js';
import type { Store } from '../store/index.js';
import { dismissDuplicate, duplicateSuggestions, mergeByAgent, previewMerge, undoableMerges, unmergeByAgent } from '../services/merge.js';
import { parseInput, requireObject } from '../validation.js';
import { exportContacts, importContacts } from './import.js';

export function createIdentityRouter(store: Store): Router {
  const router = Router();
  const auth = authenticate(store);

  router.post('/contacts/import', auth, async (req, res) => {
    const agent = signedIn(res, 'agent');
    if (!req.is('text/csv') && !req.is('text/plain')) {
      throw new CharlaFailure('invalid_payload', 'Send the CSV with "Content-Type: text/csv"');
    }
    res.json(await importContacts(store, agent, req));
  });
  router.get('/contacts/export', auth, async (req, res) => {
    const agent = signedIn(res);
    const format = req.query.format ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw new CharlaFailure('invalid_payload', 'format: Use csv or json');
    res.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json');
    res.attachment(`contacts.${format}`);
    await exportContacts(store, agent, format, (chunk) => res.write(chunk));
    res.end();
  });
  // Registered before the API's `/contacts/:id`, which would take "duplicates" for an id.
  router.get('/contacts/duplicates', auth, async (req, res) => {
    const agent = signedIn(res);
    res.json({ duplicates: await duplicateSuggestions(store, agent, parseInput(duplicateListRequestSchema, { ...req.query })) });
  });
  router.post('/contacts/duplicates/dismiss', auth, express.json(), async (req, res) => {
    const agent = signedIn(res, 'agent');
    res.json(await dismissDuplicate(store, agent, parseInput(duplicateDismissRequestSchema, requireObject(req.body))));
  });
  /** `?dryRun=1` answers the preview (what moves, every conflict and its resolution) and changes nothing. */
  router.post('/contacts/:id/merge', auth, express.json(), async (req, res) => {
    const agent = signedIn(res, 'agent');
    const input = parseInput(contactMergeRequestSchema, { ...requireObject(req.body), contactId: req.params.id });
    if (req.query.dryRun === '1' || req.query.dryRun === 'true') {
      res.json(await previewMerge(store, agent, input));
      return;
    }
    const { contact, merge } = await mergeByAgent(store, agent, input);
    res.json({ ...contact, merge });
  });
  router.get('/contacts/:id/merges', auth, async (req, res) => {
    const agent = signedIn(res);
    const { contactId } = parseInput(contactRefSchema, { contactId: req.params.id });
    res.json({ merges: await undoableMerges(store, agent, contactId) });
  });
  router.post('/contacts/:id/unmerge', auth, express.json(), async (req, res) => {
    const agent = signedIn(res, 'agent');
    res.json(await unmergeByAgent(store, agent, parseInput(contactUnmergeRequestSchema, { ...requireObject(req.body), contactId: req.params.id })));
  });
  router.get('/companies', auth, async (_req, res) => {
    const agent = signedIn(res);
    res.json({ companies: await store.companies.list(agent.workspaceId) });
  });
  return router;
}
