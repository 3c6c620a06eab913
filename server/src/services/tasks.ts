/** Tasks: follow-ups linked to a contact, company, deal and/or conversation, and "my agenda". */
import type { Agent, Task, taskCreateRequestSchema, taskListRequestSchema, taskUpdateRequestSchema } from '@charla/protocol';
import type { z } from 'zod';
import { notFound } from '../failure.js';
import { newId, nowIso } from '../ids.js';
import type { Store, StoreScope, TaskFilter } from '../store/index.js';
import { agentActor, resolveLinks, type Actor } from './deals.js';

type TaskCreateRequest = z.output<typeof taskCreateRequestSchema>;
type TaskUpdateRequest = z.output<typeof taskUpdateRequestSchema>;
type TaskListRequest = z.output<typeof taskListRequestSchema>;

const DAY = 24 * 60 * 60 * 1000;

/** Start of the caller's local day, as a UTC instant (`tzOffset` as `Date#getTimezoneOffset()` gives it). */
function startOfLocalDay(now: number, tzOffset: number): number {
  const local = now - tzOffset * 60_000;
  return local - (((local % DAY) + DAY) % DAY) + tzOffset * 60_000;
}

/** The filter of an agenda view: overdue (due before now), today (due later today), upcoming (after today, or undated). */
export function agendaFilter(view: TaskListRequest['view'], now: number, tzOffset: number): TaskFilter {
  const endOfToday = new Date(startOfLocalDay(now, tzOffset) + DAY).toISOString();
  const at = new Date(now).toISOString();
  switch (view) {
    case 'overdue':
      return { done: false, dueBefore: at };
    case 'today':
      return { done: false, dueFrom: at, dueBefore: endOfToday };
    case 'upcoming':
      return { done: false, dueFrom: endOfToday, includeUndated: true };
    case 'open':
      return { done: false };
    case 'done':
      return { done: true };
    case 'all':
      return {};
  }
}

export function listTasks(store: Store, agent: Agent, request: TaskListRequest): Promise<Task[]> {
  const filter = agendaFilter(request.view, Date.now(), request.tzOffset);
  if (request.ownerId) filter.ownerId = request.ownerId === 'me' ? agent.id : request.ownerId;
  if (request.contactId) filter.contactId = request.contactId;
  if (request.dealId) filter.dealId = request.dealId;
  return store.deals.tasks(agent.workspaceId, filter, request.limit);
}

function logTask(scope: StoreScope, task: Task): void {
  scope.events.append(task.workspaceId, {
    type: 'task.upserted',
    conversationId: task.conversationId,
    contactId: task.contactId,
    visibility: 'agents',
    data: { task },
  });
}

/** Creates a task inside an open transaction (agents and automation rules alike). */
export async function insertTask(scope: StoreScope, actor: Actor, request: TaskCreateRequest, createdAt = nowIso()): Promise<Task> {
  const links = await resolveLinks(scope, actor.workspaceId, request);
  const task: Task = {
    id: newId('tk'),
    workspaceId: actor.workspaceId,
    title: request.title,
    dueAt: request.dueAt ? new Date(request.dueAt).toISOString() : null,
    ownerId: links.ownerId ?? actor.agentId,
    done: false,
    doneAt: null,
    contactId: links.contactId,
    companyId: links.companyId,
    dealId: links.dealId,
    conversationId: links.conversationId,
    rule: actor.rule,
    createdAt,
    updatedAt: createdAt,
  };
  await scope.deals.insertTask(task);
  logTask(scope, task);
  return task;
}

export function createTask(store: Store, agent: Agent, request: TaskCreateRequest): Promise<Task> {
  return store.transaction((scope) => insertTask(scope, agentActor(agent), request));
}

export async function requireTask(scope: StoreScope, workspaceId: string, id: string): Promise<Task> {
  const task = await scope.deals.task(workspaceId, id);
  if (!task) throw notFound('Task');
  return task;
}

/** Saves a task's new state inside an open transaction; nothing is logged when nothing changed. */
export async function saveTaskIn(scope: StoreScope, current: Task, next: Task): Promise<Task> {
  const changed = (Object.keys(next) as Array<keyof Task>).some((key) => next[key] !== current[key]);
  if (!changed) return current;
  // A completion is dated like the change that made it (webhooks tell `task.completed` by it).
  const saved = { ...next, updatedAt: next.doneAt !== null && next.doneAt !== current.doneAt ? next.doneAt : nowIso() };
  await scope.deals.saveTask(saved);
  logTask(scope, saved);
  return saved;
}

export function updateTask(store: Store, agent: Agent, request: TaskUpdateRequest): Promise<Task> {
  return store.transaction(async (scope) => {
    const current = await requireTask(scope, agent.workspaceId, request.taskId);
    const { ownerId } = await resolveLinks(scope, agent.workspaceId, { ownerId: request.ownerId === undefined ? current.ownerId : request.ownerId });
    const next: Task = {
      ...current,
      title: request.title ?? current.title,
      dueAt: request.dueAt === undefined ? current.dueAt : request.dueAt && new Date(request.dueAt).toISOString(),
      ownerId,
    };
    if (request.done !== undefined && request.done !== current.done) {
      next.done = request.done;
      next.doneAt = request.done ? nowIso() : null;
    }
    return saveTaskIn(scope, current, next);
  });
}
