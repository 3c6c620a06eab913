import type { CommonKey } from './common.strings.js';

const pt: Record<CommonKey, string> = {
  'status.open': 'Abertas',
  'status.pending': 'Pendentes',
  'status.snoozed': 'Adiadas',
  'status.resolved': 'Resolvidas',
  'status.all': 'Todas',
  'time.now': 'agora',
  'common.retry': 'Tentar de novo',
  'common.loading': 'Carregando…',
  'connection.connecting': 'Conectando…',
  'connection.reconnecting': 'Conexão perdida. Reconectando — nada do que você enviar será perdido.',
  'connection.unauthorized': 'Sua sessão não é válida. Entre novamente.',
  'channel.webchat': 'Chat do site',
  'channel.whatsapp': 'WhatsApp',
  'channel.instagram': 'Instagram',
  'channel.messenger': 'Messenger',
  'channel.email': 'E-mail',
  'channel.phone': 'Telefone',
  'priority.none': 'Sem prioridade',
  'priority.low': 'Prioridade baixa',
  'priority.medium': 'Prioridade média',
  'priority.high': 'Prioridade alta',
  'priority.urgent': 'Urgente',
};

export default pt;
