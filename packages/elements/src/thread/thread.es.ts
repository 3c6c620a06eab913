import type { ThreadString } from './thread.strings.js';

const es: Record<ThreadString, string> = {
  more: 'Más',
  moreLabel: 'Más acciones de la conversación',
  snooze: 'Posponer…',
  newDeal: 'Nuevo negocio…',
  newTask: 'Nueva tarea…',
};

export default es;
