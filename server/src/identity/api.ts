/** REST for identity: merging contacts, CSV import, export, companies. */
import { contactMergeRequestSchema } from '@charla/protocol';
import express, { Router } from 'express';
import { CharlaFailure } from '../failure.js';
import { authenticate, signedIn } from '../http/api.js';
import type { Store } from '../store/index.js';
import { parseInput, requireObject } from '../validation.js';
import { exportContacts, importContacts } from './import.js';
import { mergeContacts } from './resolve.js';

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
  router.post('/contacts/:id/merge', auth, express.json(), async (req, res) => {
    const agent = signedIn(res, 'agent');
    const input = parseInput(contactMergeRequestSchema, { ...requireObject(req.body), contactId: req.params.id });
    const contact = await store.transaction(async (scope) => {
      if (!(await scope.contacts.get(agent.workspaceId, input.contactId))) throw new CharlaFailure('not_found', 'Contact not found');
      if (!(await scope.contacts.get(agent.workspaceId, input.mergeId))) throw new CharlaFailure('not_found', 'mergeId: Contact not found');
      return mergeContacts(scope, agent.workspaceId, input.contactId, input.mergeId, { kind: 'agent', id: agent.id, name: agent.name }, 'merged by an agent');
    });
    res.json(contact);
  });
  router.get('/companies', auth, async (_req, res) => {
    const agent = signedIn(res);
    res.json({ companies: await store.companies.list(agent.workspaceId) });
  });
  return router;
}
