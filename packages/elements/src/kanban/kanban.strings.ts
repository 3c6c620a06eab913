import type { Locale } from '../i18n/strings.js';

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
} as const;

export type KanbanString = keyof typeof en;

const es: Record<KanbanString, string> = {
  board: 'Embudo de oportunidades',
  pipeline: 'Embudo',
  owner: 'Responsable',
  everyone: 'Todos',
  unassigned: 'Sin asignar',
  search: 'Buscar oportunidades o contactos',
  count: '{count} oportunidades',
  countOne: '1 oportunidad',
  averageAge: 'prom. {days} d en etapa',
  empty: 'Sin oportunidades',
  noPipelines: 'Aún no hay embudos',
  stalled: 'Estancada',
  daysInStage: '{days} d en la etapa',
  openTasks: '{count} tareas abiertas',
  noContact: 'Sin contacto',
  instructions: 'Pulsa Espacio para tomar una oportunidad, las flechas para moverla entre etapas, Espacio para soltarla y Escape para cancelar.',
  pickedUp: '{title} tomada en {stage}. Usa las flechas para moverla, Espacio para soltar, Escape para cancelar.',
  over: '{title} sobre {stage}, posición {position} de {count}.',
  dropped: '{title} pasó de {from} a {to}.',
  droppedSame: '{title} quedó en {stage}.',
  canceled: 'Movimiento cancelado. {title} sigue en {stage}.',
  refused: 'No se pudo mover {title}: {reason}',
  loading: 'Cargando oportunidades…',
  error: 'No se pudieron cargar las oportunidades',
};

const pt: Record<KanbanString, string> = {
  board: 'Funil de negócios',
  pipeline: 'Funil',
  owner: 'Responsável',
  everyone: 'Todos',
  unassigned: 'Sem responsável',
  search: 'Buscar negócios ou contatos',
  count: '{count} negócios',
  countOne: '1 negócio',
  averageAge: 'média {days} d na etapa',
  empty: 'Nenhum negócio',
  noPipelines: 'Ainda não há funis',
  stalled: 'Parado',
  daysInStage: '{days} d na etapa',
  openTasks: '{count} tarefas abertas',
  noContact: 'Sem contato',
  instructions: 'Pressione Espaço para pegar um negócio, as setas para movê-lo entre etapas, Espaço para soltar e Esc para cancelar.',
  pickedUp: '{title} pego em {stage}. Use as setas para mover, Espaço para soltar, Esc para cancelar.',
  over: '{title} sobre {stage}, posição {position} de {count}.',
  dropped: '{title} passou de {from} para {to}.',
  droppedSame: '{title} ficou em {stage}.',
  canceled: 'Movimento cancelado. {title} continua em {stage}.',
  refused: 'Não foi possível mover {title}: {reason}',
  loading: 'Carregando negócios…',
  error: 'Não foi possível carregar os negócios',
};

const dictionaries: Record<Locale, Record<KanbanString, string>> = { en, es, pt };

/** The board's own strings, kept beside it; `{name}` placeholders are filled from `values`. */
export function kanbanString(lang: Locale, key: KanbanString, values: Record<string, string | number> = {}): string {
  return dictionaries[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}
