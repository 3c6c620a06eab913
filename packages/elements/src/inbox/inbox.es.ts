import type { InboxKey } from './inbox.strings.js';

const es: Record<InboxKey, string> = {
  'inbox.label': 'Conversaciones',
  'inbox.search': 'Buscar nombre, teléfono, email o mensaje',
  'inbox.empty': 'No hay conversaciones aquí',
  'inbox.emptySearch': 'Ninguna conversación coincide con «{query}»',
  'inbox.error': 'No se pudieron cargar las conversaciones',
  'inbox.loadMore': 'Cargar más',
  'inbox.unassigned': 'Sin asignar',
  'inbox.assignedTo': '{name} la está atendiendo',
  'inbox.moreLabels': '{count} etiquetas más: {labels}',
  'inbox.waiting': 'espera {time}',
  'inbox.unread': '{count} sin leer',
  'inbox.slaBreached': 'SLA vencido',
  'inbox.slaLeft': 'SLA en {time}',
  'inbox.unknownContact': 'Contacto desconocido',
  'inbox.webVisitor': 'Visitante web',
  'filter.assignee': 'Responsable',
  'filter.mine': 'Mías',
  'filter.channel': 'Canal',
  'filter.team': 'Equipo',
  'filter.sla': 'SLA',
  'filter.breaching': 'Por vencer',
  'filter.priority': 'Prioridad',
  'filter.label': 'Etiqueta',
};

export default es;
