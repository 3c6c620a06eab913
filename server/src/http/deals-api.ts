import {
  automationUpdateRequestSchema, businessEventCreateRequestSchema, dealCreateRequestSchema, dealListRequestSchema, dealUpdateRequestSchema,
  pipelineCreateRequestSchema, pipelineUpdateRequestSchema, taskCreateRequestSchema, taskListRequestSchema, taskUpdateRequestSchema, timelineRequestSchema,
} from '@charla/protocol';
import type { Router } from 'express';
import { getAutomation, undoAutomaticMove, updateAutomation } from '../services/automation.js';
import { contactCommerce, createBusinessEvent } from '../services/business-events.js';
import { createDeal, createPipeline, getDeal, listDeals, listPipelines, updateDeal, updatePipeline } from '../services/deals.js';
import { createTask, listTasks, updateTask } from '../services/tasks.js';
import { listTimeline } from '../services/timeline.js';
import type { Store } from '../store/index.js';
import { parseInput, requireObject } from '../validation.js';
import { queryOf, signedIn } from './api.js';

/** REST for pipelines, deals, tasks, business events and timelines (same domain functions as the socket). */
export function registerDealRoutes(router: Router, store: Store): void {
  router.get('/pipelines', async (_req, res) => {
    res.json(await listPipelines(store, signedIn(res)));
  });
  router.post('/pipelines', async (req, res) => {
    const agent = signedIn(res, 'admin');
    res.status(201).json(await createPipeline(store, agent, parseInput(pipelineCreateRequestSchema, req.body)));
  });

  router.patch('/pipelines/:id', async (req, res) => {
    const agent = signedIn(res, 'admin');
    res.json(await updatePipeline(store, agent, parseInput(pipelineUpdateRequestSchema, { ...requireObject(req.body), pipelineId: req.params.id })));
  });
  router.get('/pipelines/:id/automation', async (req, res) => {
    res.json(await getAutomation(store, signedIn(res), req.params.id));
  });
  router.put('/pipelines/:id/automation', async (req, res) => {
    const agent = signedIn(res, 'admin');
    res.json(await updateAutomation(store, agent, parseInput(automationUpdateRequestSchema, { ...requireObject(req.body), pipelineId: req.params.id })));
  });

  router.get('/deals', async (req, res) => {
    res.json(await listDeals(store, signedIn(res), parseInput(dealListRequestSchema, queryOf(req))));
  });
  router.post('/deals', async (req, res) => {
    const agent = signedIn(res, 'agent');
    res.status(201).json(await createDeal(store, agent, parseInput(dealCreateRequestSchema, req.body)));
  });
  router.get('/deals/:id', async (req, res) => {
    res.json(await getDeal(store, signedIn(res), req.params.id));
  });
  router.patch('/deals/:id', async (req, res) => {
    const agent = signedIn(res, 'agent');
    res.json(await updateDeal(store, agent, parseInput(dealUpdateRequestSchema, { ...requireObject(req.body), dealId: req.params.id })));
  });

  router.post('/deals/:id/undo', async (req, res) => {
    res.json(await undoAutomaticMove(store, signedIn(res, 'agent'), req.params.id));
  });

  router.get('/tasks', async (req, res) => {
    res.json(await listTasks(store, signedIn(res), parseInput(taskListRequestSchema, queryOf(req))));
  });
  router.post('/tasks', async (req, res) => {
    const agent = signedIn(res, 'agent');
    res.status(201).json(await createTask(store, agent, parseInput(taskCreateRequestSchema, req.body)));
  });
  router.patch('/tasks/:id', async (req, res) => {
    const agent = signedIn(res, 'agent');
    res.json(await updateTask(store, agent, parseInput(taskUpdateRequestSchema, { ...requireObject(req.body), taskId: req.params.id })));
  });

  router.post('/events', async (req, res) => {
    const agent = signedIn(res, 'agent');
    const { event, created } = await createBusinessEvent(store, agent, parseInput(businessEventCreateRequestSchema, req.body));
    res.status(created ? 201 : 200).json(event);
  });
  router.get('/contacts/:id/timeline', async (req, res) => {
    const input = parseInput(timelineRequestSchema, { ...queryOf(req), contactId: req.params.id });
    res.json(await listTimeline(store, signedIn(res), input));
  });
  router.get('/companies/:id/timeline', async (req, res) => {
    const input = parseInput(timelineRequestSchema, { ...queryOf(req), companyId: req.params.id });
    res.json(await listTimeline(store, signedIn(res), input));
  });
  router.get('/contacts/:id/commerce', async (req, res) => {
    res.json(await contactCommerce(store, signedIn(res), req.params.id));
  });
}
