import type { PresenceString } from './presence.strings.js';

const pt: Record<PresenceString, string> = {
  myStatus: 'Meu status',
  online: 'Disponível',
  away: 'Ausente',
  offline: 'Desconectado',
  awayHint: 'Enquanto estiver ausente, nenhuma conversa nova será atribuída a você.',
  team: 'Equipe',
  teamSummary: '{online} de {total} disponíveis',
  you: '{name} (você)',
  failed: 'Não foi possível mudar seu status. Tente de novo.',
};

export default pt;
