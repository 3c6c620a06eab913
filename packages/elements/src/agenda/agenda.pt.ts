import type { AgendaString } from './agenda.strings.js';

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

export default pt;
