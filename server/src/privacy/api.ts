/**
 * REST for privacy and accountability (under /api/v1):
 * - `GET /contacts/:id/data-export` (admins): the person's archive (zip), or for a large one
 *   (`?async=1`, or more messages than the server's inline limit) 202 with a background job to poll;
 * - `GET /data-exports/:id` and `GET /data-exports/:id/download` (admins): that job and its file;
 * - `DELETE /contacts/:id` (admins): erasure (`?erase=1` answers the report, `&block=1` refuses
 *   the person's handles from now on);
 * - `GET /audit` (admins): the audit log, newest first, filtered and paginated;
 * - `GET|PUT /privacy/settings` (admins): the retention policy.
 * Every refusal of an export is audited too.
 */
import {
  auditListRequestSchema, contactEraseRequestSchema, privacySettingsPatchSchema,
  type Agent, type AgentRole, type AuditPage, type DataExportJob, type PrivacySettings,
} from '@charla/protocol';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { CharlaFailure, notFound } from '../failure.js';
import { authenticate, queryOf } from '../http/api.js';
import { nowIso } from '../ids.js';
import type { JobQueue } from '../jobs/queue.js';
import { enqueueJob } from '../jobs/queue.js';
import { assertRole } from '../services/actors.js';
import { decodeCursor, encodeCursor } from '../services/cursor.js';
import type { Job, Store } from '../store/index.js';
import { parseInput, requireObject } from '../validation.js';
import { eraseContact, exportFile, type PrivacyFiles } from './erase.js';
import { dataExport, writeDataExport } from './export.js';

export const DATA_EXPORT_JOB = 'privacy.data_export';

/** Contacts with more messages than this are exported by a background job (default). */
export const DATA_EXPORT_INLINE_MESSAGES = 5000;

interface DataExportPayload {
  workspaceId: string;
  contactId: string;
  requestedBy: string;
}

const contactIdSchema = z.object({ contactId: z.string().min(1).max(64) });
const exportRequestSchema = z.object({ async: z.enum(['1', 'true', '0', 'false']).optional() }).strict();

/**
 * The signed-in agent when they have `role`; otherwise the refusal is recorded in the audit log
 * (`<action>.refused`) before it is answered 403.
 */
export async function auditedRole(store: Store, res: Response, role: AgentRole, action: string, target: { kind: string; id: string }): Promise<Agent> {
  const agent = res.locals.agent as Agent;
  try {
    assertRole(agent, role);
  } catch (error) {
    await store.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: `${action}.refused`,
      targetKind: target.kind, targetId: target.id, data: { role: agent.role, needed: role },
    });
    throw error;
  }
  return agent;
}

function jobView(job: Job, ready: boolean): DataExportJob {
  const payload = job.payload as DataExportPayload;
  const state = job.state === 'done' ? (ready ? 'ready' : 'failed') : job.state;
  return {
    id: job.id,
    contactId: payload.contactId,
    state,
    downloadUrl: state === 'ready' ? `/api/v1/data-exports/${job.id}/download` : null,
    error: job.state === 'failed' ? (job.lastError ?? 'The export failed') : job.state === 'done' && !ready ? 'The file is no longer kept; export again' : null,
    createdAt: job.createdAt,
  };
}

/** Registers the data export job's handler on the queue. */
export function registerDataExportJob(queue: JobQueue, store: Store, files: PrivacyFiles): void {
  queue.register(DATA_EXPORT_JOB, {
    maxAttempts: 3,
    handle: async (job) => {
      const { workspaceId, contactId } = job.payload as DataExportPayload;
      await writeDataExport(store, files, workspaceId, contactId, job.id);
    },
  });
}

export function createPrivacyRouter(store: Store, files: PrivacyFiles, options: { inlineMessages?: number } = {}): Router {
  const router = Router();
  const auth = authenticate(store);
  const inlineMessages = options.inlineMessages ?? DATA_EXPORT_INLINE_MESSAGES;

  const exportJob = async (agent: Agent, id: string): Promise<{ job: Job; file: string; ready: boolean }> => {
    const job = await store.jobs.get(id);
    if (!job || job.kind !== DATA_EXPORT_JOB || job.workspaceId !== agent.workspaceId) throw notFound('Data export');
    const file = exportFile(files, agent.workspaceId, job.id);
    const ready = job.state === 'done' && Boolean(await stat(file).catch(() => null));
    return { job, file, ready };
  };

  router.get('/contacts/:id/data-export', auth, async (req, res) => {
    const { contactId } = parseInput(contactIdSchema, { contactId: req.params.id });
    const agent = await auditedRole(store, res, 'admin', 'contact.data_export', { kind: 'contact', id: contactId });
    const { async } = parseInput(exportRequestSchema, queryOf(req));
    if (!(await store.privacy.contactRow(agent.workspaceId, contactId))) throw notFound('Contact');
    const messages = await store.privacy.messageCount(agent.workspaceId, contactId);
    if (async === '1' || async === 'true' || messages > inlineMessages) {
      const job = await store.transaction(async (scope) => {
        const payload: DataExportPayload = { workspaceId: agent.workspaceId, contactId, requestedBy: agent.id };
        const id = await enqueueJob(scope, { kind: DATA_EXPORT_JOB, workspaceId: agent.workspaceId, payload, maxAttempts: 3 });
        await scope.audit.record({
          workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'contact.data_export', targetKind: 'contact', targetId: contactId,
          data: { messages, job: id },
        });
        return (await scope.jobs.get(id))!;
      });
      res.status(202).location(`/api/v1/data-exports/${job.id}`).json(jobView(job, false));
      return;
    }
    const zip = await dataExport(store, files, agent.workspaceId, contactId);
    await store.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'contact.data_export', targetKind: 'contact', targetId: contactId,
      data: { messages },
    });
    res.type('application/zip').attachment(`contact-${contactId}.zip`).set('Cache-Control', 'no-store');
    zip.outputStream.pipe(res);
  });

  router.get('/data-exports/:id', auth, async (req, res) => {
    const agent = await auditedRole(store, res, 'admin', 'contact.data_export', { kind: 'data_export', id: String(req.params.id) });
    const { job, ready } = await exportJob(agent, String(req.params.id));
    res.set('Cache-Control', 'no-store').json(jobView(job, ready));
  });

  router.get('/data-exports/:id/download', auth, async (req, res) => {
    const agent = await auditedRole(store, res, 'admin', 'contact.data_export', { kind: 'data_export', id: String(req.params.id) });
    const { job, file, ready } = await exportJob(agent, String(req.params.id));
    if (!ready) throw new CharlaFailure('conflict', job.state === 'done' ? 'The file is no longer kept; export again' : 'The export is not ready yet');
    const { contactId } = job.payload as DataExportPayload;
    await store.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'contact.data_export.download', targetKind: 'contact', targetId: contactId,
      data: { job: job.id },
    });
    res.type('application/zip').attachment(`contact-${contactId}.zip`).set('Cache-Control', 'no-store');
    createReadStream(file).pipe(res);
  });

  router.delete('/contacts/:id', auth, async (req, res) => {
    const { contactId } = parseInput(contactIdSchema, { contactId: req.params.id });
    const agent = await auditedRole(store, res, 'admin', 'contact.erase', { kind: 'contact', id: contactId });
    const { erase, block } = parseInput(contactEraseRequestSchema, queryOf(req));
    const report = await eraseContact(store, files, { kind: 'agent', id: agent.id }, agent.workspaceId, contactId, { block: block ?? false, reason: 'request' });
    if (erase) res.json(report);
    else res.status(204).end();
  });

  router.get('/audit', auth, async (req, res) => {
    const agent = await auditedRole(store, res, 'admin', 'audit.read', { kind: 'workspace', id: (res.locals.agent as Agent).workspaceId });
    const input = parseInput(auditListRequestSchema, queryOf(req));
    const before = input.cursor ? decodeCursor(input.cursor, 2) : undefined;
    const entries = await store.audit.list(agent.workspaceId, {
      ...(input.actor ? { actorId: input.actor } : {}),
      ...(input.target ? { targetId: input.target } : {}),
      ...(input.action ? { action: input.action } : {}),
      ...(input.from ? { from: new Date(input.from).toISOString() } : {}),
      ...(input.to ? { to: new Date(input.to).toISOString() } : {}),
      ...(before ? { before: { createdAt: before[0]!, id: before[1]! } } : {}),
      limit: input.limit + 1,
    });
    const page = entries.slice(0, input.limit);
    const last = page.at(-1);
    const answer: AuditPage = { entries: page, nextCursor: entries.length > input.limit && last ? encodeCursor([last.createdAt, last.id]) : null };
    res.json(answer);
  });

  router.get('/privacy/settings', auth, async (_req, res) => {
    const agent = await auditedRole(store, res, 'admin', 'privacy.settings', { kind: 'workspace', id: (res.locals.agent as Agent).workspaceId });
    res.json(await store.privacy.settings(agent.workspaceId));
  });

  router.put('/privacy/settings', auth, express.json(), async (req, res) => {
    const agent = await auditedRole(store, res, 'admin', 'privacy.settings', { kind: 'workspace', id: (res.locals.agent as Agent).workspaceId });
    if (!req.is('application/json')) throw new CharlaFailure('invalid_payload', 'Send a JSON body with "Content-Type: application/json"');
    const patch = parseInput(privacySettingsPatchSchema, requireObject(req.body));
    const settings = await store.transaction(async (scope) => {
      const next: PrivacySettings = { ...(await scope.privacy.settings(agent.workspaceId)) };
      if (patch.retentionMonths !== undefined) next.retentionMonths = patch.retentionMonths;
      if (patch.retentionAction !== undefined) next.retentionAction = patch.retentionAction;
      await scope.privacy.saveSettings(agent.workspaceId, next, nowIso());
      await scope.audit.record({
        workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'privacy.settings_update', targetKind: 'workspace', targetId: agent.workspaceId,
        data: next,
      });
      return next;
    });
    res.json(settings);
  });

  return router;
}
