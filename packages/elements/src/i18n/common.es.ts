import type { CommonKey } from './common.strings.js';

const es: Record<CommonKey, string> = {
  'status.open': 'Abiertas',
  'status.pending': 'Pendientes',
  'status.snoozed': 'Pospuestas',
  'status.resolved': 'Resueltas',
  'status.all': 'Todas',
  'time.now': 'ahora',
  'common.retry': 'Reintentar',
  'common.loading': 'Cargando…',
  'connection.connecting': 'Conectando…',
  'connection.reconnecting': 'Se perdió la conexión. Reconectando: no se perderá nada de lo que envíes.',
  'connection.unauthorized': 'Tu sesión no es válida. Vuelve a iniciar sesión.',
  'channel.webchat': 'Chat web',
  'channel.whatsapp': 'WhatsApp',
  'channel.instagram': 'Instagram',
  'channel.messenger': 'Messenger',
  'channel.email': 'Email',
  'channel.phone': 'Teléfono',
  'priority.none': 'Sin prioridad',
  'priority.low': 'Prioridad baja',
  'priority.medium': 'Prioridad media',
  'priority.high': 'Prioridad alta',
  'priority.urgent': 'Urgente',
};

export default es;
