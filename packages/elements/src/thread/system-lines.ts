import { SYSTEM_LINES, fillTemplate, systemLineOf, type SystemLine, type SystemLineKey } from '@charla/protocol/system-lines';
import type { Message } from '@charla/protocol';
import type { Locale } from '../i18n/strings.js';

/** The languages system lines are translated into; others read them in English. */
type Translated = 'es' | 'pt';

type Lines = Record<SystemLineKey, string>;

const es: Lines = {
  status_set: '{actor} cambió el estado a «{status}»',
  snoozed_until: '{actor} pospuso la conversación hasta el {until}',
  priority_set: '{actor} cambió la prioridad a «{priority}»',
  unassigned: '{actor} dejó la conversación sin responsable',
  assigned: '{actor} asignó la conversación a {assignee}',
  team_removed: '{actor} quitó la conversación de su equipo',
  team_set: '{actor} pasó la conversación al equipo {team}',
  labels_set: '{actor} puso las etiquetas {labels}',
  labels_removed: '{actor} quitó todas las etiquetas',
  routed_vip: 'Enviada al equipo {team} por ser cliente VIP (valor de vida {value})',
  routed_channel: 'Enviada al equipo {team} por la regla: canal {channel}',
  routed_label: 'Enviada al equipo {team} por la regla: etiqueta {label}',
  routed_topic: 'Enviada al equipo {team} por la regla: tema {topic}',
  skill_channel: 'Necesita un agente con la habilidad {skill} por la regla: canal {channel}',
  skill_label: 'Necesita un agente con la habilidad {skill} por la regla: etiqueta {label}',
  skill_topic: 'Necesita un agente con la habilidad {skill} por la regla: tema {topic}',
  assigned_round_robin: 'Asignada a {assignee} por turno rotativo',
  assigned_returning: 'Asignada a {assignee} por ser cliente recurrente',
  sla_first_breached: 'Se venció el SLA de primera respuesta (objetivo {minutes} min)',
  sla_next_breached: 'Se venció el SLA de siguiente respuesta (objetivo {minutes} min)',
  sla_resolution_breached: 'Se venció el SLA de resolución (objetivo {minutes} min)',
  sla_first_breached_business: 'Se venció el SLA de primera respuesta (objetivo {minutes} min en horario laboral)',
  sla_next_breached_business: 'Se venció el SLA de siguiente respuesta (objetivo {minutes} min en horario laboral)',
  sla_resolution_breached_business: 'Se venció el SLA de resolución (objetivo {minutes} min en horario laboral)',
  auto_resolved: 'Resuelta automáticamente tras {hours} horas sin actividad',
  snooze_ended: 'Terminó la posposición: la conversación vuelve a estar abierta',
  possible_duplicate: '{contact} podría ser la misma persona que el contacto {other} (solo coincide el nombre). Si es así, combínalos.',
  contact_merged: '{actor} combinó {merged} con {contact} ({reason})',
  csat_rated: 'El cliente calificó la conversación con {rating}/5',
  csat_rated_comment: 'El cliente calificó la conversación con {rating}/5: “{comment}”',
};

const pt: Lines = {
  status_set: '{actor} mudou o status para «{status}»',
  snoozed_until: '{actor} adiou a conversa até {until}',
  priority_set: '{actor} mudou a prioridade para «{priority}»',
  unassigned: '{actor} deixou a conversa sem responsável',
  assigned: '{actor} atribuiu a conversa a {assignee}',
  team_removed: '{actor} tirou a conversa da equipe',
  team_set: '{actor} passou a conversa para a equipe {team}',
  labels_set: '{actor} definiu as etiquetas {labels}',
  labels_removed: '{actor} removeu todas as etiquetas',
  routed_vip: 'Enviada à equipe {team} por ser cliente VIP (valor vitalício {value})',
  routed_channel: 'Enviada à equipe {team} pela regra: canal {channel}',
  routed_label: 'Enviada à equipe {team} pela regra: etiqueta {label}',
  routed_topic: 'Enviada à equipe {team} pela regra: assunto {topic}',
  skill_channel: 'Precisa de um agente com a habilidade {skill} pela regra: canal {channel}',
  skill_label: 'Precisa de um agente com a habilidade {skill} pela regra: etiqueta {label}',
  skill_topic: 'Precisa de um agente com a habilidade {skill} pela regra: assunto {topic}',
  assigned_round_robin: 'Atribuída a {assignee} por rodízio',
  assigned_returning: 'Atribuída a {assignee} por ser cliente recorrente',
  sla_first_breached: 'SLA de primeira resposta vencido (meta {minutes} min)',
  sla_next_breached: 'SLA de próxima resposta vencido (meta {minutes} min)',
  sla_resolution_breached: 'SLA de resolução vencido (meta {minutes} min)',
  sla_first_breached_business: 'SLA de primeira resposta vencido (meta {minutes} min em horário comercial)',
  sla_next_breached_business: 'SLA de próxima resposta vencido (meta {minutes} min em horário comercial)',
  sla_resolution_breached_business: 'SLA de resolução vencido (meta {minutes} min em horário comercial)',
  auto_resolved: 'Resolvida automaticamente após {hours} horas sem atividade',
  snooze_ended: 'O adiamento terminou: a conversa está aberta de novo',
  possible_duplicate: '{contact} pode ser a mesma pessoa que o contato {other} (só o nome coincide). Se for, junte os dois.',
  contact_merged: '{actor} juntou {merged} a {contact} ({reason})',
  csat_rated: 'O cliente avaliou a conversa com {rating}/5',
  csat_rated_comment: 'O cliente avaliou a conversa com {rating}/5: “{comment}”',
};

/** Words the lines carry as values (statuses, priorities), said in each language. */
const WORDS: Record<Translated, Record<string, Record<string, string>>> = {
  es: {
    status: { open: 'abierta', pending: 'pendiente', snoozed: 'pospuesta', resolved: 'resuelta' },
    priority: { none: 'sin prioridad', low: 'baja', medium: 'media', high: 'alta', urgent: 'urgente' },
  },
  pt: {
    status: { open: 'aberta', pending: 'pendente', snoozed: 'adiada', resolved: 'resolvida' },
    priority: { none: 'sem prioridade', low: 'baixa', medium: 'média', high: 'alta', urgent: 'urgente' },
  },
};

const LINES: Record<Translated, Lines> = { es, pt };

/** How two contacts came to be merged, said in each language (`contact_merged`'s reason). */
const MERGE_REASONS: Record<Translated, { key: Record<string, string>; via: Record<string, string>; and: string; unnamed: string; it: string }> = {
  es: {
    key: { phone: 'mismo teléfono {value}', email: 'mismo email {value}' },
    via: {
      message: 'escrito en un mensaje',
      ai: 'leído por la IA en un mensaje',
      webchat: 'dado en el webchat',
      visitor: 'dado por el visitante en el webchat',
      startup: 'ya compartido al iniciar Charla',
      import: 'fila {row} de una importación',
      edit: 'editado por {editor}',
      agent: 'combinados por un agente',
    },
    and: ' y ',
    unnamed: 'otro contacto',
    it: 'este contacto',
  },
  pt: {
    key: { phone: 'mesmo telefone {value}', email: 'mesmo email {value}' },
    via: {
      message: 'escrito numa mensagem',
      ai: 'lido pela IA numa mensagem',
      webchat: 'informado no webchat',
      visitor: 'informado pelo visitante no webchat',
      startup: 'já compartilhado quando o Charla iniciou',
      import: 'linha {row} de uma importação',
      edit: 'editado por {editor}',
      agent: 'juntados por um agente',
    },
    and: ' e ',
    unnamed: 'outro contato',
    it: 'este contato',
  },
};

/** `contact_merged`'s values in `lang`: the reason rebuilt from its parts, unnamed contacts named. */
function mergeValues(lang: Translated, values: Record<string, string | number>): void {
  const words = MERGE_REASONS[lang];
  if (values['mergedUnnamed']) values['merged'] = words.unnamed;
  if (values['contactUnnamed']) values['contact'] = words.it;
  const via = typeof values['via'] === 'string' ? words.via[values['via']] : undefined;
  if (!via) return;
  const keys = String(values['sharedKeys'] ?? '')
    .split('|')
    .filter(Boolean)
    .map((key) => {
      const [kind = '', ...rest] = key.split(':');
      const template = words.key[kind];
      return template ? fillTemplate(template, { value: rest.join(':') }) : null;
    });
  if (keys.includes(null)) return;
  values['reason'] = [keys.join(words.and), fillTemplate(via, values)].filter(Boolean).join(', ');
}

/**
 * Lines stored before they carried `content.line` have only their English body. Each known
 * English template becomes an anchored pattern (placeholders capture their value), longest
 * template first so the most specific line wins; `contact_merged` is left out because its reason
 * is free English text that would stay untranslated inside the line.
 */
const LEGACY: ReadonlyArray<{ key: SystemLineKey; pattern: RegExp; names: string[] }> = (Object.keys(SYSTEM_LINES) as SystemLineKey[])
  .filter((key) => key !== 'contact_merged')
  .sort((a, b) => SYSTEM_LINES[b].length - SYSTEM_LINES[a].length)
  .map((key) => {
    const names: string[] = [];
    const source = SYSTEM_LINES[key]
      .split(/(\{\w+\})/)
      .map((part) => {
        const name = /^\{(\w+)\}$/.exec(part)?.[1];
        if (name) {
          names.push(name);
          return '(.+?)';
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    return { key, pattern: new RegExp(`^${source}$`), names };
  });

/** The structured line an older, English-only system message says, when it is one Charla wrote. */
export function legacySystemLine(body: string): SystemLine | null {
  for (const { key, pattern, names } of LEGACY) {
    const match = pattern.exec(body.trim());
    if (!match) continue;
    const values: Record<string, string> = {};
    names.forEach((name, index) => (values[name] = match[index + 1] ?? ''));
    return { key, values };
  }
  return null;
}

/**
 * A system line in the agent's language: lines Charla wrote with `content.line` are said from
 * their key and values; older lines with only their English body are read back through the
 * templates; anything else is the stored text.
 */
export function systemLineIn(
  lang: Locale,
  message: Pick<Message, 'body' | 'content'>,
  say: { channel: (channel: string) => string; when: (iso: string) => string },
): string {
  if (lang !== 'es' && lang !== 'pt') return message.body;
  const line = systemLineOf(message.content) ?? legacySystemLine(message.body);
  if (!line) return message.body;
  const words = WORDS[lang];
  const values: Record<string, string | number> = { ...line.values };
  for (const [name, table] of Object.entries(words)) {
    const value = values[name];
    if (typeof value === 'string' && table[value]) values[name] = table[value];
  }
  if (line.key === 'contact_merged') mergeValues(lang, values);
  if (typeof values['channel'] === 'string') values['channel'] = say.channel(values['channel']);
  if (typeof values['until'] === 'string') {
    // Stored as `YYYY-MM-DD HH:MM` (UTC), as the English line says it.
    const at = Date.parse(`${values['until'].replace(' ', 'T')}:00Z`);
    if (Number.isFinite(at)) values['until'] = say.when(new Date(at).toISOString());
  }
  return fillTemplate(LINES[lang][line.key] ?? SYSTEM_LINES[line.key], values);
}
