import type { InboxKey } from './inbox.strings.js';

const pt: Record<InboxKey, string> = {
  'inbox.label': 'Conversas',
  'inbox.search': 'Buscar nome, telefone, e-mail ou mensagem',
  'inbox.empty': 'Nenhuma conversa aqui',
  'inbox.emptySearch': 'Nenhuma conversa corresponde a “{query}”',
  'inbox.error': 'Não foi possível carregar as conversas',
  'inbox.loadMore': 'Carregar mais',
  'inbox.unassigned': 'Sem responsável',
  'inbox.assignedTo': '{name} está atendendo',
  'inbox.moreLabels': 'mais {count} etiquetas: {labels}',
  'inbox.waiting': 'aguarda {time}',
  'inbox.unread': '{count} não lidas',
  'inbox.slaBreached': 'SLA vencido',
  'inbox.slaLeft': 'SLA em {time}',
  'inbox.unknownContact': 'Contato desconhecido',
  'inbox.webVisitor': 'Visitante do site',
  'filter.assignee': 'Responsável',
  'filter.mine': 'Minhas',
  'filter.channel': 'Canal',
  'filter.team': 'Equipe',
  'filter.sla': 'SLA',
  'filter.breaching': 'Vencendo',
  'filter.priority': 'Prioridade',
  'filter.label': 'Etiqueta',
};

export default pt;
