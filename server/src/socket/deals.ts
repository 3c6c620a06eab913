import {
  contactCommerceRequestSchema, dealCreateRequestSchema, dealListRequestSchema,
  dealRefSchema, dealUpdateRequestSchema, taskCreateRequestSchema, taskListRequestSchema, taskUpdateRequestSchema,
  timelineRequestSchema,
  type Agent,
} from '@charla/protocol';
import { undoAutomaticMove } from '../services/automation.js';
import { contactCommerce } from '../services/business-events.js';
import { createDeal, getDeal, listDeals, listPipelines, updateDeal } from '../services/deals.js';
import { createTask, listTasks, updateTask } from '../services/tasks.js';
import { listTimeline } from '../services/timeline.js';
import type { Store } from '../store/index.js';
import { emptyRequestSchema } from '../validation.js';
import type { AgentOn } from './agent.js';

/** Pipelines, deals, tasks, a contact's commerce summary and timelines on /agent. */
export function registerDealHandlers(on: AgentOn, store: Store, agent: Agent): void {
  on('pipelines.list', emptyRequestSchema, 'viewer', () => listPipelines(store, agent));
  on('deals.list', dealListRequestSchema, 'viewer', (input) => listDeals(store, agent, input));
  on('deal.get', dealRefSchema, 'viewer', ({ dealId }) => getDeal(store, agent, dealId));
  on('deal.create', dealCreateRequestSchema, 'agent', (input) => createDeal(store, agent, input));
  on('deal.update', dealUpdateRequestSchema, 'agent', (input) => updateDeal(store, agent, input));
  on('deal.undo', dealRefSchema, 'agent', ({ dealId }) => undoAutomaticMove(store, agent, dealId));
  on('tasks.list', taskListRequestSchema, 'viewer', (input) => listTasks(store, agent, input));
  on('task.create', taskCreateRequestSchema, 'agent', (input) => createTask(store, agent, input));
  on('task.update', taskUpdateRequestSchema, 'agent', (input) => updateTask(store, agent, input));
  on('contact.commerce', contactCommerceRequestSchema, 'viewer', ({ contactId }) => contactCommerce(store, agent, contactId));
  on('timeline.list', timelineRequestSchema, 'viewer', (input) => listTimeline(store, agent, input));
}
