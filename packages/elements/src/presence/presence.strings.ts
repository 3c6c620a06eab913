import { stringsOf } from '../i18n/strings.js';

const en = {
  myStatus: 'My status',
  online: 'Available',
  away: 'Away',
  offline: 'Offline',
  awayHint: 'No new conversations are assigned to you while you are away.',
  team: 'Team',
  teamSummary: '{online} of {total} available',
  you: '{name} (you)',
  failed: 'Could not change your status. Try again.',
} as const;

export type PresenceString = keyof typeof en;

const es: Record<PresenceString, string> = {
  myStatus: 'Mi estado',
  online: 'Disponible',
  away: 'Ausente',
  offline: 'Desconectado',
  awayHint: 'Mientras estés ausente no se te asignan conversaciones nuevas.',
  team: 'Equipo',
  teamSummary: '{online} de {total} disponibles',
  you: '{name} (tú)',
  failed: 'No se pudo cambiar tu estado. Inténtalo de nuevo.',
};

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

/** The component's own strings, kept beside it; `{name}` placeholders are filled from `values`. */
export const presenceString = stringsOf<PresenceString>({ en, es, pt });
