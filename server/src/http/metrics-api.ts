import { spendEntrySchema, type Agent } from '@charla/protocol';
import express, { Router, type Request } from 'express';
import { CharlaFailure } from '../failure.js';
import { computeMetric, type PresenceLookup } from '../metrics/index.js';
import { enterSpend, listSpend, spendFromCsv } from '../metrics/spend.js';
import { metricsReport } from '../metrics/report.js';
import { metricTable, tableCsv } from '../metrics/tables.js';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';
import { authenticate, signedIn } from './api.js';

/** Most metrics one CSV holds. */
const MAX_CSV_METRICS = 4;

/** The query string, one value per name. */
const queryOf = (req: Request) => Object.fromEntries(Object.entries(req.query).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]));

/**
 * Metrics and what they are computed from:
 * - `GET /metrics/:name?from=&to=&…` any metric (viewers and up), `GET /metrics/:name/csv?…` its
 *   table as CSV, or several metrics' (`a,b`) as titled sections (agents and admins: viewers never export);
 * - `POST /spend` (admins) one spend entry as JSON, or many as a CSV body (`Content-Type: text/csv`);
 * - `GET /spend?from=&to=` the spend entered, by month (`YYYY-MM`);
 * - `GET /reports/metrics.pdf?from=&to=&pipelineId=` every metric for a range as a PDF (agents and admins).
 * `presence` tells the workload who is connected and who is away.
 */
export function createMetricsRouter(store: Store, presence: PresenceLookup): Router {
  const router = Router();
  const auth = authenticate(store);

  router.get('/metrics/:name', auth, async (req, res) => {
    res.json(await computeMetric(store, signedIn(res), String(req.params.name), queryOf(req), presence));
  });
  router.get('/metrics/:name/csv', auth, async (req, res) => {
    const agent = signedIn(res, 'agent');
    // Several metrics of one view (the service clocks) come as sections of one file, each under its title.
    const names = String(req.params.name).split(',');
    if (names.length > MAX_CSV_METRICS) throw new CharlaFailure('invalid_payload', `At most ${MAX_CSV_METRICS} metrics in one CSV`);
    const results = await Promise.all(names.map((name) => computeMetric(store, agent, name, queryOf(req), presence)));
    res.type('text/csv; charset=utf-8');
    res.attachment(`${names.length === 1 ? results[0]!.name : 'metrics'}.csv`);
    res.send(results.length === 1 ? tableCsv(metricTable(results[0]!)) : results.map((result) => tableCsv(metricTable(result), true)).join('\n'));
  });

  router.get('/reports/metrics.pdf', auth, async (req, res) => {
    const pdf = await metricsReport(store, signedIn(res, 'agent'), queryOf(req), presence);
    res.type('application/pdf');
    res.attachment('sales-report.pdf');
    res.send(pdf);
  });

  router.post('/spend', auth, express.text({ type: ['text/csv', 'text/plain'], limit: '512kb' }), express.json({ limit: '64kb' }), async (req, res) => {
    const admin: Agent = signedIn(res, 'admin');
    let entries;
    if (req.is('text/csv') || req.is('text/plain')) entries = spendFromCsv(String(req.body ?? ''));
    else if (req.is('application/json')) entries = [parseInput(spendEntrySchema, req.body)];
    else throw new CharlaFailure('invalid_payload', 'Send one entry as JSON ("Content-Type: application/json") or many as CSV ("Content-Type: text/csv")');
    res.status(201).json(await enterSpend(store, admin, entries));
  });

  router.get('/spend', auth, async (req, res) => {
    res.json(await listSpend(store, signedIn(res), queryOf(req)));
  });
  return router;
}
