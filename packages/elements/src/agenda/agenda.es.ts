import type { AgendaString } from './agenda.strings.js';

const es: Record<AgendaString, string> = {
  agenda: 'Mi agenda',
  overdue: 'Vencidas',
  today: 'Hoy',
  upcoming: 'Próximas',
  none: 'Nada por aquí',
  noDate: 'Sin fecha',
  done: 'Marcar “{title}” como hecha',
  open: 'Abrir la conversación',
  byRule: 'automática',
  loading: 'Cargando…',
};

export default es;
