import type { PresenceString } from './presence.strings.js';

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

export default es;
