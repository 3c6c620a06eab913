/** REST for identity: merging contacts (preview, undo, possible duplicates), CSV import, export, companies. */
import {
  companyListRequestSchema, companyPatchSchema,
  contactMergeRequestSchema, contactRefSchema, contactUnmergeRequestSchema, duplicateDismissRequestSchema, duplicateListRequestSchema,
  type Agent,
} from '@charla/protocol';
import { Transform } from 'node:stream';
import express, { Router, type Request } from 'express';
import { CharlaFailure } from '../failure.js';
import { authenticate, queryOf, signedIn } from '../http/api.js';
import { holderOf, updateCompanyExternalIds } from '../services/external-ids.js';
import type { Limits } from '../limits.js';
import type { Store } from '../store/index.js';
import { dismissDuplicate, duplicateSuggestions, mergeByAgent, previewMerge, undoableMerges, unmergeByAgent } from '../services/merge.js';
import { parseInput, requireObject } from '../validation.js';
import { exportContacts, importContacts } from './import.js';
import { auditedRole } from '../privacy/api.js';

/** What express's body parsers throw for a body over its limit (answered 413 by errors.ts). */
const tooLarge = (limit: number) => Object.assign(new Error('The body is too large'), { status: 413, type: 'entity.too.large', limit });

/**
 * The request body as a stream that fails past `maxBytes`: refused at once when Content-Length
 * says so, else when the bytes arrive (a chunked upload).
 */
function limitedBody(req: Request, maxBytes: number): Transform {
  if (Number(req.get('content-length')) > maxBytes) throw tooLarge(maxBytes);
  let received = 0;
  const body = req.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        if (received <= maxBytes) return done(null, chunk);
        // The rest of the upload is read and dropped, so the refusal can be answered.
        req.unpipe(this);
        req.resume();
        done(tooLarge(maxBytes));
      },
    }),
  );
  // Until the importer reads it, the error stays on the stream (its pipeline reports it then).
  body.on('error', () => {});
  return body;
}

export function createIdentityRouter(store: Store, limits: Pick<Limits, 'importBytes' | 'importRows'>): Router {
  const router = Router();
  const auth = authenticate(store);

  router.post('/contacts/import', auth, async (req, res) => {
    const agent = signedIn(res, 'agent');
    if (!req.is('text/csv') && !req.is('text/plain')) {
      throw new CharlaFailure('invalid_payload', 'Send the CSV with "Content-Type: text/csv"');
    }
    res.json(await importContacts(store, agent, limitedBody(req, limits.importBytes), limits.importRows));
  });
  /** Every contact at once: agents and admins only; refusals and exports are both audited. */
  router.get('/contacts/export', auth, async (req, res) => {
    const agent = await auditedRole(store, res, 'agent', 'contacts.export', { kind: 'workspace', id: (res.locals.agent as Agent).workspaceId });
    const format = req.query.format ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw new CharlaFailure('invalid_payload', 'format: Use csv or json');
    await store.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'contacts.export', targetKind: 'workspace', targetId: agent.workspaceId,
      data: { format },
    });
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
  router.get('/companies', auth, async (req, res) => {
    const agent = signedIn(res);
    const { externalId } = parseInput(companyListRequestSchema, queryOf(req));
    const companies = await store.companies.list(agent.workspaceId);
    if (!externalId) return void res.json({ companies });
    const holder = await holderOf(store, agent.workspaceId, 'company', externalId);
    res.json({ companies: companies.filter((company) => company.id === holder) });
  });
  router.patch('/companies/:id', auth, express.json(), async (req, res) => {
    const agent = signedIn(res, 'agent');
    res.json(await updateCompanyExternalIds(store, agent, String(req.params.id), parseInput(companyPatchSchema, req.body).externalIds));
  });
  return router;
}
