import { defineStrings } from '../i18n/strings.js';

const en = {
  board: 'Deals pipeline',
  pipeline: 'Pipeline',
  owner: 'Owner',
  everyone: 'Everyone',
  unassigned: 'Unassigned',
  search: 'Search deals or contacts',
  count: '{count} deals',
  countOne: '1 deal',
  averageAge: 'avg {days} d in stage',
  empty: 'No deals',
  noPipelines: 'No pipelines yet',
  stalled: 'Stalled',
  daysInStage: '{days} d in stage',
  openTasks: '{count} open tasks',
  noContact: 'No contact',
  instructions: 'Press Space to pick up a deal, the arrow keys to move it between stages, Space to drop it, Escape to cancel.',
  pickedUp: '{title} picked up in {stage}. Use the arrow keys to move it, Space to drop, Escape to cancel.',
  over: '{title} over {stage}, position {position} of {count}.',
  dropped: '{title} moved from {from} to {to}.',
  droppedSame: '{title} dropped back in {stage}.',
  canceled: 'Move canceled. {title} is back in {stage}.',
  refused: '{title} could not be moved: {reason}',
  loading: 'Loading deals…',
  error: 'The deals could not be loaded',
  stages: 'Stages',
  stageOf: '{stage} · {position} of {count}',
  previousStage: 'Previous stage: {stage}',
  nextStage: 'Next stage: {stage}',
  firstStage: 'This is the first stage',
  lastStage: 'This is the last stage',
  moveTo: 'Move “{title}” to another stage',
} as const;

export type KanbanString = keyof typeof en;

/** The component's own strings, kept beside it; `{name}` placeholders are filled from `values`. */
export const kanbanString = defineStrings<KanbanString>('kanban', en, {
  es: () => import('./kanban.es.js'),
  pt: () => import('./kanban.pt.js'),
});
