import { stringsOf } from '../i18n/strings.js';

const en = {
  agenda: 'My agenda',
  overdue: 'Overdue',
  today: 'Today',
  upcoming: 'Upcoming',
  none: 'Nothing here',
  noDate: 'No due date',
  done: 'Mark “{title}” done',
  open: 'Open the conversation',
  byRule: 'automatic',
  loading: 'Loading…',
} as const;

export type AgendaString = keyof typeof en;

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

const pt: Record<AgendaString, string> = {
  agenda: 'Minha agenda',
  overdue: 'Atrasadas',
  today: 'Hoje',
  upcoming: 'Próximas',
  none: 'Nada por aqui',
  noDate: 'Sem data',
  done: 'Marcar “{title}” como concluída',
  open: 'Abrir a conversa',
  byRule: 'automática',
  loading: 'Carregando…',
};

/** The component's own strings, kept beside it; `{name}` placeholders are filled from `values`. */
export const agendaString = stringsOf<AgendaString>({ en, es, pt });
