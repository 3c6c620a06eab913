/**
 * The offline provider: every AI job for Spanish, Portuguese and English without a model.
 * Contact data comes from regular expressions, libphonenumber-js (national numbers read in the
 * workspace's country) and the amount reader of budget.ts (a value is taken only when it is really
 * there: nothing is invented; the newest statement wins, so corrections count); sentiment from
 * lexicons with negation, intensifiers, emoji and sarcasm; topics from a vocabulary the workspace
 * can extend; the summary is extractive, rewritten in the third person ("Pide 12 prensas
 * francesas para su cafetería; presupuesto 8 mil pesos; plazo: este mes"). Its quality is measured
 * on the labelled corpus (`npm run bench -- ai-quality`).
 */
import {
  type Analysis, type ExtractedValue, type Intent, type KnowledgeHit, type Lead, type Objection, type QuoteLine, type Recommendation, type ReplySource, type Sentiment,
  type SentimentTrend, type Topic, TOPICS,
} from '@charla/protocol';
import { findPhoneNumbersInText, isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { findAmounts } from './budget.js';
import { draftFollowUpOffline, draftQuoteOffline } from './drafts.js';
import type { AiProvider, AnalysisInput, ConversationLine, FollowUpInput, QuoteInput, SuggestedReply, SuggestionInput } from './provider.js';
import { recommend } from './qualification.js';

export type Language = 'es' | 'pt' | 'en';

/** Lower case without accents, so lexicons match "así", "asi" and "ASÍ" alike (same length as NFC). */
export const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** A regex of whole words or phrases (written folded) matching folded text. */
const words = (...phrases: string[]) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${phrases.join('|')})(?![\\p{L}\\p{N}])`, 'u');
/** `pattern` with the `g` flag added (its other flags kept), for matchAll and replace. */
const globally = (pattern: RegExp) => new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`);

export const STOPWORDS: Record<Language, Set<string>> = {
  es: new Set('el la los las que de y es por para quiero hola gracias cuanto necesito con una mi tengo pero como esta buenas dias tardes puedo usted muy'.split(' ')),
  pt: new Set('o os as que de e para com nao obrigado obrigada ola oi quero preciso voce uma meu tenho mas esta bom dia tarde posso muito sim'.split(' ')),
  en: new Set('the is and to for i you my with want need hello hi thanks how much please we our can have this it of do'.split(' ')),
};

export function detectLanguage(texts: readonly string[]): Language {
  const counts: Record<Language, number> = { es: 0, pt: 0, en: 0 };
  for (const token of fold(texts.join(' ')).split(/[^\p{L}]+/u)) {
    for (const language of ['es', 'pt', 'en'] as const) if (STOPWORDS[language].has(token)) counts[language] += 1;
  }
  // Ties favour Spanish, then Portuguese (the product's first markets).
  return counts.en > counts.es && counts.en > counts.pt ? 'en' : counts.pt > counts.es ? 'pt' : 'es';
}

// ------------------------------------------------------------------ sentiment

const POSITIVE = words(
  'genial', 'excelente', 'perfecto', 'perfecta', 'me encanta', 'me encanto', 'encantad[oa]', 'buenisimo', 'increible', 'muy bien', 'feliz', 'contento', 'contenta',
  'de acuerdo', 'muy buen', 'impecable', 'maravillos[oa]', 'recomendar', 'salio perfecta', 'wonderful', 'muchisimas gracias', 'muchas gracias', 'mil gracias',
  'otimo', 'perfeito', 'adorei', 'maravilhoso', 'muito bom', 'amei', 'muito obrigad[oa]',
  'thank you so much', 'great', 'perfect', 'love it', 'love the', 'awesome', 'amazing', 'happy', 'appreciate', 'feeling much better', 'much better',
);
/** Politeness: a little warmth, not enough alone to call a conversation positive. */
const WEAK_POSITIVE = words('gracias', 'obrigad[oa]', 'thanks', 'thank you', 'legal', 'dale', 'vale', 'ok', 'va', 'claro', 'sure', 'jaja', 'jajaja', 'kkk', 'haha');
/** What a customer waits on before buying ("still waiting on the lease"): putting it off, not a complaint. */
const AWAITED = '(?:the|our|my) (?:lease|approval|budget|funding|permit)';
/** Kept waiting, late, still broken, left unanswered, damaged: facts that complain without a complaint word (a mood and a topic). */
const COMPLAINT_FACTS = [
  'llevo (?:mas de )?(?:una |media |\\d+ |dos |tres )?horas?(?: y media)?(?: esperando| en la sala)?', 'hora y media (?:esperando|en)', 'nadie me dice nada', 'que poca', 'sigue sin funcionar', 'sigue igual', 'sigue sin (?:arreglar|llegar|venir)',
  'ni sus luces', 'sigue goteando', 'sigue fallando', 'a ver si ahora si', 'me llego (?:uno|una|un|otro|otra) (?:talla|color|modelo)', 'charged my card twice', '(?:nobody|no one) picks up', "i'?ve called \\d+ times",
  '(?:vino|llego|me llego|veio|chegou) con (?:el|la|los|las) \\p{L}+ (?:pelad|rot|quebrad|rajad|manchad|rasgad|descosid|doblad)[oa]s?', '(?:devuelven|devolver|devuelvan) la plata', 'es peligroso',
  '(?:flickering|slipping|leaking|crashing) again', '(?:empezo|empieza|volvio) a (?:patinar|fallar|gotear|sonar|parpadear)(?: \\p{L}+){0,2} de nuevo', 'the (?:second|third|fourth) time', 'ya van (?:dos|tres|\\d+) veces',
  'es el colmo', 'vien[ea] vencid[oa]', 'lleg[oó] vencid[oa]', '(?:dos|two|2) (?:cargos|charges|cobros)', 'nadie me (?:dijo|ha dicho) nada',
  'no vacuo', 'nada de chegar', 'continua sem funcionar', 'continua (?:quebrad[oa]|estragad[oa])', '(?:\\d+|one|two|three|four|five|an?) hours? late', 'showed up late', 'scratched', 'still (?:broken|not working)',
];
const NEGATIVE = words(
  'malo', 'mala', 'mal', 'pesimo', 'pesima', 'terrible', 'horrible', 'molest[oa]', 'enojad[oa]', 'decepcionad[oa]', 'no funcionan?', 'queja', 'reclamo',
  'no (?:me )?ha llegado', 'no llego', 'nunca llego', 'estafa', 'fatal', 'hart[oa]', 'indignad[oa]', 'desastre', 'inaceptable', 'falta de seriedad',
  'no enciende', 'no suena', 'no vino', 'rot[oa]', 'rompio', 'me duele', 'dolor', 'fiebre', 'a la miseria', 'perdi', 'nadie (?:me )?(?:contesta|responde|avisa|avisó)',
  'cobraron dos veces', 'me cobraron', 'carisimo', 'gracias por nada', 'ya nadie', 'no me gusto', 'urgencias?', 'me devuelvan', 'reembolso',
  'ruim', 'pessim[oa]', 'horrivel', 'terrivel', 'chatead[oa]', 'nao funciona', 'reclamacao', 'nao chegou', 'nunca chegou', 'golpe', 'absurdo', 'quebrad[oa]',
  'super mal', 'febre', 'irritad[oa]',
  // What does not work, came wrong or never came, and having had enough (every language).
  'no (?:me |le |nos |te )?(?:funcion\\w*|sirve|sirven|prende|carga)', 'se apaga sol[oa]', 'nadie vino', 'no (?:vino|llego|ha venido) nadie', 'ya me canse', 'me tienen cansad[oa]',
  'llego (?:incomplet[oa]|danad[oa]|abiert[oa]|mal)', 'incomplet[oa]', 'danad[oa]', 'muy grave', 'falta de respeto', 'otra vez lo mismo', 'es la segunda vez', 'por segunda vez',
  'nao (?:me )?(?:funciona|serve|liga)', 'ninguem (?:me )?(?:responde|atende|veio)', 'falta de respeito', 'amassad[oa]', 'veio (?:errad[oa]|quebrad[oa]|amassad[oa]|faltando)',
  "(?:is|are)n'?t working", 'not happy', 'cracked', 'for nothing', '(?:leaking|dripping|broken|failing) again', 'no one (?:came|answers|showed up)', 'fed up', 'wrong (?:size|item|color|order)',
  'dor', 'todavia no (?:me )?(?:llega|ha llegado)', 'aun no (?:me )?(?:llega|ha llegado)', 'sigo esperando', 'no me dan razon', 'me cobraron de mas', 'cobro indebido', 'llega mal',
  'ainda nao (?:recebi|chegou)', 'nao recebi', 'cade (?:o|meu|minha)', 'dinheiro de volta', 'sem resposta', 'ridicul[oa]', 'sin respuesta',
  `still waiting(?! on ${AWAITED})`, 'overcharged', 'ridiculous', 'no reply', 'damaged',
  ...COMPLAINT_FACTS,
  'awful', 'angry', 'upset', 'disappointed', 'not working', "doesn'?t work", 'broken', 'complaint', 'never arrived', "hasn'?t arrived", 'scam', 'worst',
  'frustrated', 'unacceptable', 'stopped working', 'killing me', "didn'?t fix", 'charged (?:me )?twice', 'still no', 'still dripping', 'pain',
);
const NEGATION = words('no', 'nunca', 'nada', 'ni', 'sin', 'nao', 'nem', 'sem', 'not', 'never', "don'?t", "didn'?t", "isn'?t", "wasn'?t", 'no es', 'no fue');
const INTENSIFIER = words('muy', 'super', 're', 'tan', 'demasiado', 'muito', 'bem', 'so', 'really', 'very', 'totally', 'bastante', 'mega', 'extremely');
const POSITIVE_EMOJI = /[😍🥰😊😀😃😄😁🙂❤💕💖👍👌🙌🔥💯🎉🙏👏🐶]/gu;
const NEGATIVE_EMOJI = /[😡😠🙄🙃😤👎😞😢😭😒😷]/gu;
/** Praise said to mean the opposite: a marker, or praise in a message that also complains. */
const SARCASM = words(
  'que maravilla', 'vaya,? que', 'de verdad,? fenomenal', 'gracias por nada', 'thanks for nothing', 'uy si', 'excelente atencion eh', 'oh great',
  'super puntuales', 'que puntualidad', 'fantastic job,? really', 'genial el trabajo,? eh', 'un lujo', 'brilliant,? just what', 'what a steal', 'gracias por tanto', 'que belleza', 'excelente servicio,? de verdad', 'love how', 'really professional', 'so professional', 'estupendo todo', 'otimo atendimento,? (?:me|nos)',
);

const POSITIVE_ALL = globally(POSITIVE);
const NEGATIVE_ALL = globally(NEGATIVE);
const WEAK_POSITIVE_ALL = globally(WEAK_POSITIVE);

/** A message's sentiment: lexicon hits, flipped after a negation, stronger after an intensifier. */
export function sentimentOf(body: string): number {
  const text = fold(body);
  if (SARCASM.test(text)) return -2;
  let score = 0;
  for (const match of text.matchAll(POSITIVE_ALL)) {
    const before = text.slice(Math.max(0, match.index - 14), match.index);
    const negated = NEGATION.test(before.split(/\s+/).slice(-3).join(' '));
    score += (negated ? -1 : 1) * (INTENSIFIER.test(before.split(/\s+/).slice(-2).join(' ')) ? 1.5 : 1);
  }
  let negative = 0;
  for (const match of text.matchAll(NEGATIVE_ALL)) {
    const before = text.slice(Math.max(0, match.index - 14), match.index).split(/\s+/);
    // "No está mal": a denied complaint is no complaint (phrases that start with "no" stand).
    if (!NEGATION.test(match[0].split(/\s+/)[0]!) && NEGATION.test(before.slice(-3).join(' '))) continue;
    negative += INTENSIFIER.test(before.slice(-2).join(' ')) ? 1.5 : 1;
  }
  // Praise next to a complaint is sarcasm more often than not ("Genial, ahora perdí el día").
  if (negative > 0 && score > 0) score = -score;
  score -= negative * 1.5;
  score += (text.match(WEAK_POSITIVE_ALL) ?? []).length * 0.4;
  score += Math.min(2, (body.match(POSITIVE_EMOJI) ?? []).length * 0.6) - (body.match(NEGATIVE_EMOJI) ?? []).length;
  return score;
}

function sentiment(customer: readonly ConversationLine[]): { sentiment: Sentiment; trend: SentimentTrend } {
  const scores = customer.map((line) => sentimentOf(line.body));
  const recent = scores.slice(-3).reduce((sum, score) => sum + score, 0);
  const label: Sentiment = recent >= 0.9 ? 'positive' : recent <= -0.9 ? 'negative' : 'neutral';
  if (scores.length < 2) return { sentiment: label, trend: 'steady' };
  const half = Math.floor(scores.length / 2);
  const average = (values: number[]) => values.reduce((sum, score) => sum + score, 0) / Math.max(1, values.length);
  const change = average(scores.slice(half)) - average(scores.slice(0, half));
  return { sentiment: label, trend: change > 0.4 ? 'improving' : change < -0.4 ? 'worsening' : 'steady' };
}

// ------------------------------------------------------------------ topics

/** Built-in topic vocabulary (folded phrases); a workspace adds words and topics of its own. */
export const TOPIC_VOCABULARY: Record<Topic, string[]> = {
  pricing: ['precio', 'precios', 'cuanto cuestan?', 'cuanto salen?', 'cuanto valen?', 'cuanto cobr\\w+', 'costo', 'cotizacion', 'cotizar', 'tarifa', 'lista de precios',
    'preco', 'precos', 'quanto custa', 'quanto fica', 'orcamento', 'valor', 'price', 'prices', 'pricing', 'how much', 'cost', 'quote', 'caro', 'carisimo', 'expensive'],
  payment: ['pago', 'pagar', 'pago con', 'tarjeta', 'transferencia', 'factura', 'pagamento', 'boleto', 'pix', 'cartao', 'payment', 'pay', 'card', 'invoice',
    'paypal', 'link de pago', 'enlace de pago', 'meses sin intereses', 'parcelas?', 'cuotas', 'mercado pago', 'pse', 'cobraron', 'charged', 'cobrou'],
  support: ['ayuda', 'problema', 'error', 'no funcionan?', 'soporte', 'falla', 'garantia', 'no enciende', 'ajuda', 'suporte', 'nao funciona', 'defeito', 'trocar',
    'help', 'problem', 'issue', 'not working', 'support', 'bug', 'stopped working', 'replacement',
    'no (?:me |le |nos )?(?:funcion\\w*|sirve|prende|carga)', 'se apaga', 'cambiar(?:lo|la|los|las)', 'reinicie', 'nao (?:me )?(?:funciona|liga)', "(?:is|are)n'?t working", 'leak\\w*'],
  complaint: [
    'queja', 'reclamo', 'reembolso', 'devolucion', 'devolver(?:lo|la)?', 'devuelvan', 'devolvais', 'pesimo', 'estafa', 'nunca llego', 'no (?:me )?ha llegado', 'terrible',
    'horrible', 'desastre', 'inaceptable', 'falta de seriedad', 'no vino', 'me cobraron', 'cobraron dos veces', 'no me gusto', 'harta?o?', 'un responsable',
    'gracias por nada', 'llego abierta', 'puerta rota', 'mal atendid[oa]', 'perdi', 'sin avisar',
    'no (?:me )?sirve', 'nadie vino', 'no (?:vino|llego|ha venido) nadie', 'ya me canse', 'incomplet[oa]', 'faltan? (?:\\d+|un|una|dos|tres|piezas?|unidades|productos?|cosas)(?! (?:muelas?|dientes?|molares?))', 'es la segunda vez', 'por segunda vez', 'otra vez lo mismo',
    'me (?:mandaron|enviaron|llego|vino) (?:otr[oa]|mal|equivocad[oa])', '(?:otro|otra) talla?e?', 'que me (?:lo|la|los|las) cambien', 'supervisor', 'falta de respeto',
    'ninguem (?:me )?(?:responde|atende|veio)', 'falta de respeito', 'amassad[oa]', 'veio (?:errad[oa]|quebrad[oa]|amassad[oa]|faltando)',
    'todavia no (?:me )?(?:llega|ha llegado)', 'aun no (?:me )?(?:llega|ha llegado)', 'sigo esperando', 'no me dan razon', 'me cobraron de mas', 'cobro indebido', 'llega mal',
    '(?:quiero|quisiera|quero) cancelar', 'cancelar (?:el|mi|o|meu) pedido', 'cancel my order', 'danad[oa]',
    'ainda nao (?:recebi|chegou)', 'nao recebi', 'cade (?:o|meu|minha)', 'dinheiro de volta', 'sem resposta', 'ridicul[oa]', 'sin respuesta',
    `still waiting(?! on ${AWAITED})`, 'overcharged', 'ridiculous', 'no reply', 'damaged',
    ...COMPLAINT_FACTS,
    'not happy', 'cracked', 'for nothing', '(?:leaking|dripping|broken|failing) again', 'money back', 'no one (?:came|answers|showed up)', 'wrong (?:size|item|color|order)',
    'reclamacao', 'devolucao', 'pessimo', 'nunca chegou', 'nao chegou', 'horrivel', 'absurdo', 'quebrado', 'super mal',
    'complaint', 'refund', 'refunded', 'return it', 'worst', 'unacceptable', 'scam', 'never arrived', "hasn'?t arrived", 'awful', 'still no package', "didn'?t fix",
  ],
  shipping: ['envio', 'envios', 'entrega', 'llega', 'paqueteria', 'rastreo', 'frete', 'chega', 'rastreio', 'correios', 'entregam', 'shipping', 'delivery',
    'deliver', 'tracking', 'ship', 'package'],
  order: ['pedido', 'orden', 'order', 'purchase', 'encomenda', 'pedidos'],
  scheduling: ['cita', 'agendar', 'agenda', 'reunion', 'llamada', 'demo', 'reuniao', 'ligacao', 'horario', 'turno', 'hueco', 'marcar uma consulta', 'marquenme',
    'appointment', 'meeting', 'call', 'schedule', 'book'],
  product: ['producto', 'modelo', 'plan', 'servicio', 'catalogo', 'produto', 'servico', 'product', 'model', 'catalog', 'stock', 'estoque', 'disponible',
    'disponivel', 'available', 'garantia', 'tienen (?:la|el|los|las)'],
};

const BUILT_IN_TOPICS: Record<Topic, RegExp> = Object.fromEntries(TOPICS.map((topic) => [topic, words(...TOPIC_VOCABULARY[topic])])) as Record<Topic, RegExp>;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The topics a text is about: the built-in ones, each with the workspace's own words added (`extra`: topic → words). */
export function topicsOf(text: string, extra: Readonly<Record<string, readonly string[]>> = {}): Topic[] {
  const folded = fold(text);
  return TOPICS.filter((topic) => {
    if (BUILT_IN_TOPICS[topic].test(folded)) return true;
    const own = extra[topic] ?? [];
    return own.length > 0 && words(...own.map((word) => escape(fold(word)))).test(folded);
  });
}

// ------------------------------------------------------------------ lead fields

const HIGH_URGENCY = words(
  'urgente', 'urgentemente', 'cuanto antes', 'lo antes posible', 'lo mas pronto posible', 'hoy mismo', 'de inmediato', 'ya mismo', 'para hoy',
  'o quanto antes', 'o mais rapido possivel', 'imediatamente', 'hoje mesmo', 'para hoje', 'urgent', 'urgently', 'asap', 'right away', 'immediately',
  'as soon as possible', 'today', 'hoy', 'hoje',
);
/** Putting it off till a later occasion: low urgency, and a timing objection. */
const PUTTING_OFF = ['hold off', 'para la proxima (?:cohorte|vez|temporada|edicion)', 'depois das ferias'];
const LOW_URGENCY = words(
  'no es (?:nada )?urgente', 'nada urgente', 'sin prisa', 'no hay apuro', 'no tengo prisa', 'sem pressa', 'nao e urgente', 'not urgent', 'no rush', 'no hurry',
  '(?:el )?(?:ano que viene|proximo ano)', 'ano que vem', 'next year', '(?:despues de|pasadas) (?:las )?vacaciones', 'after (?:the )?holidays',
  'until (?:spring|summer|fall|autumn|winter)', ...PUTTING_OFF, '(?:dentro de|en|em|in) \\d+ meses',
  // Past a season or a holiday, or months away: "después del verano", "depois do carnaval", "after Christmas", "daqui uns 3 meses".
  '(?:despues del?|depois d[oa]|after(?: the)?) (?:verano|invierno|otono|primavera|navidad|carnaval|semana santa|natal|ferias|summer|winter|christmas|carnival|easter)',
  '(?:daqui a|daqui uns?) (?:\\d+|uns|dois|tres) meses', 'in \\d+ months', 'hasta (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)',
);
const MONTHS = 'enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janeiro|fevereiro|marco|maio|junho|julho|setembro|outubro|novembro|dezembro';
const EN_MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december';
/** Small counts as words ("en dos semanas", "in two weeks"). */
const FEW = '\\d+|un|una|dos|tres|cuatro|cinco|seis|um|uma|dois|duas|tres|quatro|cinco|a|one|two|three|four|five|six|un par de|a couple of|a few|unas|unos|alguns|algumas';
const TIMELINE = new RegExp(
  '(?<![\\p{L}])(?:hoy(?: (?:en|por) la (?:tarde|noche))?|(?<!(?:la|por la|de la|toda la) )manana|pasado manana|esta semana|la (?:proxima|otra) semana|la semana que viene|este mes|el (?:proximo|otro) mes|el mes que viene|fin de mes|'
  + '(?:antes del?|para el|el)(?: proximo)? (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)|(?:en|dentro de) \\d+ (?:dias|semanas|meses)|el (?:ano que viene|proximo ano)|'
  + `hasta (?:${MONTHS})|(?:el )?\\d{1,2} de (?:${MONTHS})|`
  + 'hoje|amanha|nesta semana|semana que vem|proxima semana|este mes|mes que vem|proximo mes|ano que vem|ate (?:segunda|terca|quarta|quinta|sexta|sabado|domingo)|(?<=e |no |na |para |pra |ser |ate o |ate a )(?:sabado|domingo|segunda|terca|quarta|quinta|sexta)(?:-feira)?|em \\d+ (?:dias|semanas|meses)|'
  + 'today|tomorrow|this week|next week|this month|next month|next year|by (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the end of the month)|'
  + '(?:with)?in \\d+ (?:days|weeks|months)|end of the month|'
  // Weekends, fortnights, the end of the year, holidays, parts of today.
  + '(?:este|el|para el|el proximo|this|next|by the|over the) (?:fin de semana|weekend)|(?:este|no|neste|proximo) fim de semana|'
  + 'la (?:proxima )?quincena|(?:a|para|antes de) fin de ano|fin de ano|(?:no )?fim do ano|(?:by |before )?(?:the )?end of (?:the|this) year|'
  + '(?:antes de|para|before|by|antes do|para o) (?:la )?(?:navidad|christmas|natal|ano nuevo|new year|semana santa|easter|pascua|pascoa)|'
  + 'esta tarde|esta noche|esta noite|hoje a (?:tarde|noite)|this (?:afternoon|evening)|tonight|'
  + 'la semana entrante|el mes entrante|el dia \\d{1,2}|'
  + '(?:until|this|next|by|before|after) (?:the )?(?:spring|summer|fall|autumn|winter)|(?:para|en|hasta|despues de|despues del)(?: el| la)? (?:verano|invierno|otono|primavera)|'
  + '(?:despues de|despues del|pasad[oa]s?|after|depois do|depois da|depois de) (?:la |el |las |the )?(?:navidad|christmas|ano nuevo|new year|semana santa|easter|pascua|carnaval|carnival|natal|ano novo|fiestas|pascoa)|'
  + 'la semana que entra|el mes que entra|(?:daqui a|daqui uns?|daqui umas?) (?:\\d+|uns|umas|duas|dois|tres|quinze) (?:dias|semanas|meses)|(?:do|no|pro|para o|ate o) dia \\d{1,2}(?![\\d/])|'
  + 'depois das ferias|(?:despues de|pasadas) (?:las )?vacaciones|after (?:the )?holidays|'
  + `(?:en|dentro de|em|in|within) (?:${FEW}) (?:dias|semanas|meses|days|weeks|months)|`
  + `(?:en|para|a mediados de|a finales de|a principios de|antes de|antes del|em|para|no inicio de|no final de|in|by|before|until|early|late|mid) (?:${MONTHS}|${EN_MONTHS})(?: \\d{1,2}(?:st|nd|rd|th)?)?|`
  + `(?:${EN_MONTHS}) \\d{1,2}(?:st|nd|rd|th)?|\\d{1,2}(?:st|nd|rd|th)? of (?:${EN_MONTHS})|`
  + '(?:na|nesta|na proxima|ate a) (?:segunda|terca|quarta|quinta|sexta)(?:-feira)?|(?:on|this|next) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))(?![\\p{L}])',
  'u',
);
const BUY = words(
  'quiero comprar(?:lo|la)?', 'lo quiero', 'la quiero', 'ya la quiero', 'ya lo quiero', 'me lo llevo', 'me la llevo', 'como (?:pago|puedo pagar)', 'donde pago',
  'link de pago', 'enlace de pago', 'apartar(?:lo)?', 'reservar(?:lo)?', 'cerrar (?:el )?trato', 'quero comprar', 'vou levar', 'como (?:faco para )?pag(?:o|ar)',
  'link de pagamento', 'fechar (?:o )?pedido',
  // A decision said outright, a purchase in the present ("lo compro"), an order placed, asking where to pay.
  'ya me decidi', 'me (?:lo|la|los|las) llevo', 'me llevo (?:el|la|los|las|un|una|unos|unas)', '(?:lo|la|los|las) compro', 'lo tomo', 'la tomo', 'hacer el pedido', 'confirmo el pedido',
  '(?:pasame|pasas|me pasas|me pasan|enviame|envienme|mandame|me mandan?) (?:la cuenta|el cbu|el alias|los datos (?:para|de) (?:pago|transferencia)|la factura)', 'para (?:transferir(?:te|les)?|pagar hoy)', 'te transfiero',
  '(?:a|en) que cuenta (?:les |te |le )?deposit\\w*', 'datos (?:bancarios|para (?:depositar|transferir))', 'numero de cuenta', 'clabe', 'quero fechar', '(?:pode )?mandar o boleto', 'manda o boleto',
  'apart(?:a|e|en)me(?:l[oa]s?)?', 'reserv(?:a|e|en)me(?:l[oa]s?)?', '(?:reserv|apart|agend)(?:a|e|en)l[oa]s?', 'paso (?:a (?:buscar|recoger)(?:l[oa]s?)?|por (?:el|ella|ellos|ellas))', 'voy a (?:buscar|recoger)(?:l[oa]s?)?',
  '(?:eu )?compro hoje', 'se tiver eu compro', 'separa (?:pra|para) mim', 'vou buscar',
  'pick (?:it|them) up', "i'?ll (?:come|stop) by (?:for|to get|to pick)", 'hold (?:it|one) for me',
  '(?:me|nos) (?:l[oa]s? )?(?:apartas|apartan|aparta|separas|separan|guardas|guardan)', 'me regala(?:s|n)? (?:\\d+|un|una|unos|unas|dos|tres|el|la|los|las)',
  'fechado', 'vou querer', '(?:me manda|manda|passa) a chave (?:do )?pix', 'eu pago agora',
  'go ahead with', 'go ahead and (?:ship|send|book|order|charge)', 'use the card on file', 'ya (?:te |les )?(?:pague|transferi|deposite)', "pix feito", 'quero confirmar', 'pago contra entrega', '(?:send|email) (?:me |us )?(?:over )?the invoice', "we'?ll take (?:it|them|the)", 'book (?:it|me in)',
  'i want to buy', "i'?ll take (?:it|the)", 'how (?:do|can) i pay', 'payment link', 'ready to (?:buy|order)', "let'?s do it", 'sign me up', 'place (?:an|the) order',
);
const OBJECTION_WORDS: Record<Objection, RegExp> = {
  price: words(
    // "cara" alone is also a face, and "dude" in Brazil: expensive only after a verb or an intensifier ("está cara", "muito cara").
    'caro', '(?:muy|muito|bastante|algo|medio|meio|re|mas|mais|ta|esta|es|e|sale|salio|un poco|super|demasiado|tan|bem|so) cara', 'muy caro', 'carisim[oa]', 'costos[oa]', 'si me (?:l[oa]s? )?(?:dejas|deja|dejan|deixa) (?:en|a|por)', 'faz (?:por|a) (?:r\\$ ?)?\\d+',
    '(?:en|na) (?:otr[oa] (?:local|lado|tienda|sitio|lugar|pagina)|la competencia|shopee|amazon|mercado ?libre|magalu) (?:l[oa]s? |eu |I )?(?:vi|encontre|esta|sale|ta)', '(?:eu )?vi (?:por|a) (?:r\\$ ?|\\$)?\\d+', 'descuent\\w*', 'mas barat[oa]', 'muito caro', 'desconto', 'mais barato', 'expensive', 'too much', 'pricey', 'discount', 'cheaper',
    'steep', 'do better on (?:that|the price)', 'quoted me (?:a lot |much )?less',
    '(?:me |nos )?l[oa]s? (?:podeis|pueden|puedes|podes|podria|podrian) igualar', 'igualar (?:el|ese) precio', 'match (?:the|their|that|this) price', 'price match',
    '(?:en|na) otr[oa] (?:clinica|farmacia|consultorio|veterinaria|taller|local|lado|tienda) (?:de mi barrio |aqui |aca |cerca )?(?:me |nos )?l[oa]s? (?:hacen|cobran|dejan|venden|dan)',
    // Asking for a better price, or saying they will look elsewhere.
    '(?:me|nos) (?:haces|hace|hacen|puede hacer|puedes hacer|podes hacer|podrias hacer|da|das|dan) (?:un )?(?:precio|descuento|rebaja|mejor precio)',
    '(?:mirar|buscar|ver|cotizar) (?:en )?otr[oa]s (?:empresas|opciones|lados|tiendas|proveedores|sitios)', '(?:look|shop) (?:elsewhere|around)',
    '(?:olhar|procurar|ver) (?:em )?outr[oa]s (?:empresas|lojas|opcoes|lugares|fornecedores)',
  ),
  timing: words(
    'mas adelante', 'ahora no', 'por ahora no', 'todavia no(?! (?:me )?(?:llega|ha llegado|llego|recib\\w*|contesta\\w*|responde\\w*|funciona|l[oa]s? tengo))', 'el proximo ano', 'el ano que viene', 'no es (?:el|buen) momento', 'mais tarde', 'agora nao', 'ainda nao(?! (?:recebi|chegou|responde\\w*|funciona))',
    'talvez ano que vem', 'nao e o momento', 'not now', 'later on', 'maybe later', 'maybe next year', 'not yet', 'not the right time',
    // Putting it off said plainly: "ahorita no", "este mes no puedo", "vou deixar pra depois das férias", "gonna hold off until spring".
    'ahorita no', '(?:este mes|esta semana|este ano) no (?:puedo|podemos)', 'lo dejo para (?:despues|mas adelante)',
    '(?:vou|vamos) deixar (?:pra|para) depois', 'put it off', 'not right now', ...PUTTING_OFF,
    'deixar (?:pra|para|pro) (?:o )?(?:ano que vem|mes que vem|outro (?:dia|mes|ano))', 'no me alcanza', '(?:ta|esta) apertad[oa]', '(?:pa|para) el otro ano', 'lo retomo',
    'not (?:rn|yet|now)', 'reach (?:back )?out (?:in|next|after|later)', `still waiting on ${AWAITED}`,
    "(?:leave|put) it (?:till|until|til) after", '(?:lo|la) (?:mirare|vere|dejo|dejare) (?:para )?despues de(?:l)?', '(?:vou|vamos) (?:ver|deixar) (?:isso )?(?:pra|para) depois d[oa]',
  ),
  authority: words(
    '(?:consultar|hablar|ver)(?:lo)? con mi (?:jefe|jefa|socio|socia|esposa|esposo|equipo)', 'tengo que preguntar', 'lo tengo que ver con', 'tengo que hablarlo',
    'falar com (?:meu|minha) (?:chefe|socio|socia|esposa|marido)', 'preciso consultar', 'check with my (?:boss|manager|partner|team|wife|husband)', 'need (?:approval|to ask)',
    'run it by', 'debo consultarlo', 'tengo que consultarlo',
    '(?:el|la) que decide es', 'quien decide es', 'no (?:lo )?decido yo', 'lo tengo que llevar a', 'quem (?:bate o martelo|decide) e', 'nao sou eu quem decide', 'eu so levo',
    "(?:it'?s )?not (?:my call|up to me)", 'my (?:boss|wife|husband|partner) decides',
    '(?:l[oa]s? )?(?:tiene|tienen|debe|deben) (?:que )?(?:aprobar|autorizar)', 'yo solo cotizo', '(?:depois|quando|so depois) (?:q|que) (?:o|a) \\p{L}+ (?:aprovar|autorizar)', '(?:precisa|tem que) (?:ser )?aprovad[oa]',
    '(?:has|have|needs?) to (?:approve|sign off)', 'sign off on', 'needs? (?:their |his |her |my boss\'?s? )?approval',
    '(?:lo |la )?(?:comentare|consultare|hablare|vere|platicare) con (?:mi|el|la) (?:marido|mujer|esposa|esposo|pareja|novio|novia|jefe|jefa|socio|socia|familia)',
    '(?:vou|preciso) (?:ver|falar|conversar) com (?:meu|minha) (?:marido|esposa|mulher|chefe|socio|socia)', "(?:i'?ll|i need to|let me) (?:talk|check) (?:to|with) my (?:wife|husband|partner|boss)",
    '(?:l[oa] )?(?:consulto|hablo|veo|platico|comento|pregunto) con (?:mi|el|la) (?:marido|mujer|esposa|esposo|pareja|jefe|jefa|socio|socia|familia|gerente|director|directora|hermana|hermano|madre|padre|mama|papa|hija|hijo)',
    'quem aprova e', '(?:ella|el) decide', 'la decision (?:la )?toma', '(?:el|la) que aprueba', "(?:he|she)(?:'ll| will) make the call", '(?:approves|signs off(?: on)?) anything',
    'quien (?:aprueba|autoriza)', 'que es (?:el|la) que (?:decide|aprueba|autoriza)', '(?:la compra|el pedido|la cotizacion) (?:la |lo )?(?:autoriza|aprueba|decide) (?:el|la|mi)', 'run it past',
    // Writing for the boss: "mi jefe quiere cotizar", "on behalf of my boss".
    'mi (?:jefe|jefa|patron|patrona) (?:quiere|necesita|me pidio|me encargo)', 'my (?:boss|manager) (?:wants|asked)', '(?:meu|minha) (?:chefe|gerente) (?:quer|pediu)',
    'on behalf of my (?:boss|manager)', 'de parte de mi (?:jefe|jefa)',
    '(?:lo|la) tengo que (?:hablar|consultar|ver|platicar) con', '(?:ella|el) (?:es )?(?:la|el) que (?:lleva|manda|decide|paga)', 'es (?:ella|el) (?:la|el) que (?:lleva|manda|decide|paga)',
    '(?:el|la) que manda', 'le (?:digo|pregunto|consulto) a (?:ella|el)(?![\\p{L}])',
  ),
  need: words('ja achei', 'ya (?:lo |la |los |las )?(?:encontre|consegui)', "(?:we'?re|i'?m) already with", 'stick with (?:what we have|our|them|what i have)', '(?:acabe|acabei|termine) compr(?:ando|ei|e)', 'bought (?:it|one) elsewhere', 'ya tengo', 'ya tenemos', 'no (?:lo )?necesit(?:o|amos)', 'ya (?:l[oa]s? )?compre', 'ja comprei', 'already (?:bought|got)', 'solo queria (?:contar|avisar|agradecer)', 'ja tenho', 'ja temos', 'nao preciso', 'nao precisamos', 'already have', "don'?t need"),
};
const AUTHORITY = words(
  'soy (?:el|la) (?:duen[oa]|gerente|director|directora|encargad[oa]|responsable|novia|novio)', 'socio director', 'yo decido', 'decido yo', 'yo llevo el negocio',
  'gerente de compras', 'directora? comercial', 'sou (?:o|a) (?:don[oa]|gerente|diretor|diretora|responsavel)', 'diretor de compras', 'eu decido',
  "i'?m the (?:\\w+ )?(?:owner|manager|director|ceo|founder)", 'i am the (?:\\w+ )?(?:owner|manager|director|ceo|founder)', 'managing partner', 'i make the decisions?', 'i decide',
);
const NEED = words(
  'necesito', 'necesitamos', 'necesita', 'necesitan', 'precisa', 'needs', 'busco', 'buscamos', 'preciso', 'precisamos', 'procuro', 'we need', 'i need', 'looking for', 'quiero', 'queremos', 'quero', 'we want',
  // Wanting said politely or indirectly: interest, "I'd like", asking what is offered.
  'me interesan?', 'nos interesan?', 'interesad[oa]s?', 'interested', 'me gustaria', 'quisiera', 'quisieramos', 'queria', 'querria', 'gostaria', 'tenho interesse', 'queria saber',
  "i'?d like", "we'?d like", 'would like', 'ocupo', 'ocupamos', 'requiero', 'requerimos', 'cotiza(?:r|n|s|cion)', 'me pasas precio', 'do (?:you|u) (?:have|sell|carry|offer)', 'need (?:it|them|one)',
  'venden', 'manejan', 'voces tem', 'vendem',
);
/** Amounts someone paid or was charged are not a budget, anywhere in that sentence ("me cobraron 45 mil en vez de 38 mil"). */
const NOT_BUDGET_BEFORE = /(?:(?:cobr\w*|me sali[oó])(?:\s+\w+){0,2}\s*|(?:cobraron|cobr[oó]|cobrou|cobraram|charged|overcharged|pagu[eé]|paguei|paid|cost me)[^.!?\n]*|(?:it|that|this) (?:was|cost)\s*(?:\$|US\$|€|£)?\s*|(?:me|nos) l[oa]s? (?:hacen|dejan|deja|dejas|dan|cobran|venden|deixa|deixam|fazem)(?: en| a| por| em)?\s*(?:\$|R\$|US\$|€|£)?\s*|(?:does|do) (?:it|them|one) for (?:like |about )?\s*(?:\$|€|£)?\s*|(?:cargos?|charges?|cobros?) (?:de|of)\s*(?:\$|€|£)?\s*|(?:que )?(?:tienen|tenes|teneis|tem|have)(?: \p{L}+){0,4} (?:en|a|por|em|at|for)\s*(?:\$|R\$|€|£)?\s*|(?:anything|whatever) (?:over|above)\s*(?:\$|US\$|€|£)?\s*|(?:vi|vimos|consigo|conseguimos|encontr[eé]|encontramos|achei|found (?:it|one|them)|saw (?:it|one|them))(?:\s+\p{L}+){0,3}\s+(?:a|en|por|for|at)\s*(?:\$|R\$|US\$|€|£|S\/)?\s*)$/iu;

// Capitalized words (names, companies) are read from the original text, accents kept.
const UPPER = 'A-ZÁÉÍÓÚÑÂÊÔÃÕÇÜ';
const LOWER = 'a-záéíóúñâêôãõçü';
/** One capitalized word of a name, hyphenated or with an apostrophe ("Fernández-Prieto", "O'Brien"). */
const NAME_WORD = `[${UPPER}](?:[${LOWER}]+(?:[-'’][${UPPER}][${LOWER}]+)?|['’][${UPPER}][${LOWER}]+)`;
/** Particles inside surnames ("María de la Luz", "João dos Santos", "Van der Berg"). */
const NAME_PARTICLE = '(?:de la|de las|de los|del|de|da|das|do|dos|van der|van den|van de|van|von|di|du)';
/**
 * Kinds of business, in lower case (regex fragments): a business's name often starts with one
 * ("Peluquería Tijeras de Oro", "la ferretería El Tornillo"). Read two ways: capitalized, where it
 * starts a name (`BUSINESS_WORD`), and in lower case too before a capitalized name (`BUSINESS_KIND`).
 */
const KINDS_OF_BUSINESS = [
  'distribuidora', 'importadora', 'exportadora', 'papeler[ií]a', 'papelaria', 'constructora', 'construtora', 'ferreter[ií]a', 'hotel', 'hostal',
  'cl[ií]nica', 'consultorio', 'consult[oó]rio', 'laboratorio', 'laborat[oó]rio', 'restaurante', 'cafeter[ií]a', 'pasteler[ií]a', 'panader[ií]a',
  'padaria', 'peluquer[ií]a', 'farmacia', 'farm[aá]cia', 'academia', 'escuela', 'escola', 'estudio', 'agencia', 'ag[eê]ncia', 'inmobiliaria',
  'imobili[aá]ria', 'taller', 'veterinaria', 'veterin[aá]ria', '[oó]ptica', 'librer[ií]a', 'florister[ií]a', 'joyer[ií]a', 'carnicer[ií]a',
  'verduler[ií]a', 'bodegas?', 'vinoteca', 'cervecer[ií]a', 'tortiller[ií]a', 'lavander[ií]a', 'barber[ií]a', 'barbearia', 'gimnasio', 'abarrotes',
  'taquer[ií]a', 'pizzer[ií]a', 'asadero', 'parrilla', 'rotiser[ií]a', 'bakery', 'salon', 'clinic', 'pharmacy', 'restaurant',
];
/** Words that start a business's name only capitalized: in lower case they are everyday words ("un grupo", "el centro"). */
const CAPITALIZED_KINDS = [
  'grupo', 'caf[eé]', 'tienda', 'loja', 'studio', 'dulces', 'oficina', 'sal[oó]n', 'sal[aã]o', 'centro', 'comercial', 'industrias?',
  'editorial', 'transportes', 'servicios', 'servi[cç]os',
];
/** A kind's fragment with its first letter upper case ("[oó]ptica" → "[OÓ]ptica"). */
function capitalized(kind: string): string {
  return kind.startsWith('[') ? kind.replace(/^\[([^\]]+)\]/, (_, letters: string) => `[${letters.toUpperCase()}]`) : kind[0]!.toUpperCase() + kind.slice(1);
}
/** Words that start a business's name, so "Marcelo da Distribuidora Sul" is Marcelo of a company, not a surname. */
const BUSINESS_WORD = `(?:${[...KINDS_OF_BUSINESS, ...CAPITALIZED_KINDS].map(capitalized).join('|')})`;
/** A name: up to four capitalized words, then possibly a particle and one or two more ending it. */
const PERSON = `(${NAME_WORD}(?:[ \\t]+${NAME_WORD}){0,3}(?:[ \\t]+${NAME_PARTICLE}[ \\t]+(?!${BUSINESS_WORD}(?![\\p{L}]))${NAME_WORD}(?:[ \\t]+${NAME_WORD})?(?![\\p{L}])(?![ \\t]*[${UPPER}]))?)`;
const RELATIVE = '(?:su |el |la |the )?(?:esposo|esposa|marido|mujer|hermano|hermana|hijo|hija|socio|socia)(?: de \\w+)?,?';
/** A name written in lower case after a cue that can only introduce one ("me llamo ana ruiz"): capitalized. */
const LOWER_PERSON = `(?!(?:at|on|back|to|in|after|before|later|anytime|whenever|when|if|now|asap|tomorrow|today|please|pls|de|en|al|a|por|para|luego|despues|después|hoy|ahora|mañana|no)(?![${LOWER}]))([${LOWER}]{2,}(?:[ \\t]+(?!(?:y|e|de|del|da|do|and|from|soy|sou|i|im|quiero|quero|want|tengo|tenho|para|por|con|com|with)(?![${LOWER}]))[${LOWER}]{2,})?)(?![${LOWER}])`;
const NAME_CUE = '(?:[Mm]e llamo|[Mm]i nombre (?:completo )?es|[Mm]e dicen|[Pp]ode me chamar de|[Pp]uedes llamarme|[Cc]all me|[Mm]y name is|[Mm]y name\'s|(?<![Mm]y )[Nn]ame\'s|[Mm]eu nome é|[Mm]eu nome e|[Mm]e chamo)';
/** Closings after which a message ends with the writer's name ("Saludos,\nJuan Pérez"). */
/** A title before a name ("la doctora Carolina Paz", "Dr. Angela Moore"): not part of it. */
const TITLE = '(?:(?:la |el |a |o )?(?:[Dd]octora|[Dd]octor|[Dd]outora|[Dd]outor|[Dd]ra\\.?|[Dd]r\\.?|[Ll]icenciad[oa]|[Ll]ic\\.|[Ii]ngenier[oa]|[Ii]ng\\.|[Ss]eñora|[Ss]eñor|[Ss]ra\\.|[Ss]r\\.|[Mm]rs?\\.?|[Mm]s\\.?)[ \\t]+)?';
/** The start of a signature line: "Att: ", "Saludos, ", "Regards ". */
const SIGNATURE = '(?:^|\\n)[ \\t]*(?:[Aa]tte?|[Aa]tentamente|[Ss]aludos|[Rr]egards|[Aa]tenciosamente)[.:,]?[ \\t]+';
/** "At your service" after a name, as customers sign a message or answer for their name ("Jesús Cárdenas para servirle"). */
const AT_YOUR_SERVICE = 'para servir(?:le|te|les)|a (?:la|su|tu|sus|tus) [oó]rden(?:es)?|at your service';
const SIGN_OFF = '(?:[Mm]il gracias|[Ss]aludos|[Uu]n saludo|[Ss]aludos cordiales|[Aa]tte\\.?|[Aa]tentamente|[Cc]ordialmente|[Aa]bra[çc]os|[Aa]tenciosamente|[Rr]egards|[Kk]ind regards|[Bb]est regards|[Bb]est|[Cc]heers|[Ss]incerely|[Tt]hanks|[Tt]hank you|[Gg]racias|[Mm]uchas gracias|[Oo]brigad[oa]|[Mm]uito obrigad[oa])';
/** What follows a name given with the details of an order: an address or an identity number ("Daniela Restrepo, cra 50 # 42-18", "Silvina Paz, DNI 32.456.789"). */
const ADDRESS_OR_ID = '(?:[Cc]ra|[Cc]arrera|[Cc]alle|[Cc]l|[Aa]v|[Aa]vda|[Aa]venida|[Rr]ua|[Ss]treet|[Ss]t|[Dd]irecci[oó]n|[Ee]ndere[cç]o|DNI|dni|CPF|cpf|RUT|rut|CC|cc|C\\.C\\.|[Cc][eé]dula|CI|NIT|nit)[ .#:]';
/** Asking to be reached, after a name ("…, call me at", "…, llámame al", "…, meu zap"). */
const CALL_ME = '(?:[Cc]all|[Tt]ext|[Ee]mail|[Rr]ing|[Rr]each) me|[Ll]l[aá]m(?:ame|enme|eme)|[Ee]scr[ií]b(?:eme|anme|ime)|[Mm]e (?:pueden|podes|puedes|pod[eé]is) (?:llamar|escribir)|[Mm]i (?:cel|tel|n[uú]mero|whats)|[Ll]igue|[Mm]e liga|[Mm]eu (?:cel|n[uú]mero|zap|whats)';
const NAME_PATTERNS: Array<[RegExp, number]> = [
  // A signature line: "Karen Whitworth | Office Manager | Holt & Pryce Solicitors".
  [new RegExp(`(?:^|\\n)[ \\t]*${PERSON}[ \\t]*\\|[^|\\n]{2,40}\\|[^|\\n]{2,60}$`, 'u'), 0.7],
  [new RegExp(`(?:^|[,.!¡][ \\t]*)(?:(?:[Hh]ola|[Bb]uenas|[Hh]i|[Hh]ello|[Hh]ey|[Oo]i|[Oo]lá)[!,]?[ \\t]+)?(?:[Aa]c[aá]|[Aa]qu[ií](?! en| de))[ \\t]+${PERSON}`, 'u'), 0.6],
  [new RegExp(`${SIGNATURE}${TITLE}${PERSON}[ \\t]*(?:$|[-–—|][ \\t]*[${UPPER}]|,[ \\t]*[${LOWER}])`, 'u'), 0.7],
  // A full name closing the message after a sentence ("… que después me voy a laburar. Cristian Pereyra").
  [new RegExp(`[.!?][ \\t]+${PERSON.replace('{0,3}', '{1,3}')}[ \\t]*[.!]?[ \\t]*$`, 'u'), 0.55],
  // A name given again to correct it ("perdon, Martín Gaitán Ocampo, con los dos apellidos").
  [new RegExp(`(?:^|\\n)[ \\t]*(?:[Pp]erd[oó]n|[Dd]isculp[ae]|[Dd]esculpa|[Ss]orry|[Cc]orrijo|[Mm]ejor dicho)[,:;.]?[ \\t]+${PERSON.replace('{0,3}', '{1,3}')}(?=[ \\t]*(?:[,.;]|$))`, 'u'), 0.7],
  [new RegExp(`^[ \\t]*${PERSON.replace('{0,3}', '{1,3}')},?[ \\t]+(?:btw|by the way|por cierto|por cert[oa]|aliás)(?![\\p{L}])`, 'u'), 0.6],
  [new RegExp(`(?:${NAME_CUE.slice(3, -1)}|[Aa] nombre de)\\s+${PERSON}`, 'u'), 0.9],
  [new RegExp(`(?:^|[^${LOWER}])${NAME_CUE}\\s+${LOWER_PERSON}`, 'u'), 0.8],
  // Form-like answers ("Nombre: Ana Ruiz") and who writes ("les escribe Ana Ruiz", "quem fala é a Ana").
  [new RegExp(`(?:^|\\n)[ \\t]*(?:(?:[Mm]i |[Mm]eu |[Mm]y )?[Nn]ombre(?: completo)?|[Nn]ome(?: completo)?|(?:[Ff]ull )?[Nn]ame)[ \\t]*:[ \\t]*${PERSON}`, 'u'), 0.85],
  [new RegExp(`(?:[Ll]es|[Tt]e|[Oo]s|[Ll]e) (?:escribe|saluda)\\s+${TITLE}${PERSON}|(?:[Qq]uem fala é|[Qq]uem escreve é)(?: o| a)?\\s+${PERSON}`, 'u'), 0.8],
  [new RegExp(`${SIGN_OFF}[,.!]?[ \\t]*(?:\\n[ \\t\\n]*|[-–—][ \\t]*)${PERSON}[ \\t]*(?:\\n[^\\n]{2,60})?[ \\t\\n]*$`, 'u'), 0.7],
  [new RegExp(`(?:^|[,.!¡][ \\t]*)(?:(?:[Hh]i|[Hh]ello|[Hh]ey|[Hh]ola|[Oo]i|[Oo]lá),?[ \\t]+)?${PERSON} (?:here|aqu[ií])(?![\\p{L}])`, 'u'), 0.6],
  [new RegExp(`(?:^|[,.!¡]\\s*|\\s)(?:[Ss]oy ${RELATIVE}|[Ss]oy|I'm|I am|[Ss]ou(?: o| a)?|[Aa]qui é(?: o| a)?|[Tt]his is|[Ii]t'?s|[Ii]t is|[Hh]abla|[Ll]e habla|[Tt]e habla)\\s+${TITLE}${PERSON}`, 'u'), 0.6],
  // What someone is, then their name: "soy la responsable de personal, Rocío Ruiz", "I'm the office manager, Dana Cole".
  [new RegExp(`(?:^|[,.!¡]\\s*|\\s)(?:[Ss]oy|[Ss]ou|I'm|I am)[ \\t]+(?:la|el|o|a|the)[ \\t]+[${LOWER} ]{3,40}?,[ \\t]*${PERSON}[ \\t]*(?:$|[.!\\n])`, 'u'), 0.6],
  // Someone else writing from this number: "é a mãe do Bruno, Cláudia", "it's Tom's wife, Emma here".
  [new RegExp(`(?:[Ee]s|[ÉéEe]|[Ss]oy|[Ss]ou|[Ii]t'?s|[Tt]his is|I'm)[ \\t]+(?:la |el |a |o |the )?(?:mam[aá]|m[aã]e|madre|mother|mom|pap[aá]|pai|padre|father|dad|esposa|esposo|marido|mulher|wife|husband|hermana|hermano|irm[aã]o?|sister|brother|hija|hijo|filha|filho|daughter|son)[ \\t]+(?:de|del|do|da|of)[ \\t]+${NAME_WORD},?[ \\t]+${PERSON}`, 'u'), 0.7],
  // Who and from where, as a greeting: "Hi, Sarah Lee from Bright Dental here", "Ana de Café Luna por aquí".
  [new RegExp(`(?:^|[,.!¡][ \\t]*)(?:(?:[Hh]i|[Hh]ello|[Hh]ey|[Hh]ola|[Bb]uenas|[Oo]i|[Oo]lá),?[ \\t]+)?${PERSON}[ \\t]+(?:from|de|da|do)[ \\t]+[${UPPER}][^,.!?\\n]{0,60}?[ \\t]+(?:here|aqu[ií]|por aqu[ií])(?![\\p{L}])`, 'u'), 0.6],
  // A dash signature: "— Renata da Costa".
  [new RegExp(`(?:^|\\n)[ \\t]*[-–—][ \\t]*${PERSON}[ \\t]*$`, 'u'), 0.7],
  // A closing and the name on the message's last line: "Un saludo, Pablo Ortega", "Thanks, Dave".
  [new RegExp(`(?:^|\\n|[.!?][ \\t]+)${SIGN_OFF},[ \\t]*${PERSON}[ \\t.!]*$`, 'u'), 0.7],
  // Last: a message that is only a name, or a name before the contact details it gives ("Florencia Ibáñez, flor@…"),
  // or a full name as a sentence of its own opening a message ("Inés Prieto. Mejor me contestáis al correo").
  [new RegExp(`^[ \\t]*(?:(?:[Ll]isto|[Oo]k|[Dd]ale|[Pp]erfecto|[Bb]ueno|[Vv]a|[Oo]k[aá]y|[Bb]elez[aà]|[Cc]erto)[.,!]?[ \\t]+)?${PERSON.replace('{0,3}', '{1,3}')}[ \\t]*(?:$|[,;-][ \\t]*(?=[^\\s@]+@|[+(]?\\d|${ADDRESS_OR_ID})|\\.[ \\t]+(?=[${UPPER}])|[ \\t]+(?:${AT_YOUR_SERVICE})(?![\\p{L}]))`, 'u'), 0.6],
  // A full name opening a sentence and then how to reach them ("order 77821. Derek Hollis, call me at 512-555-0143").
  [new RegExp(`(?:^|[.!?][ \\t]+)${PERSON.replace('{0,3}', '{1,3}')}[ \\t]*[,;-][ \\t]*(?=${CALL_ME})`, 'u'), 0.6],
  // A first name closing the message after waiting words or a number ("aguardo. Patrícia", "call me on 0412 558 903. Shannon").
  [new RegExp(`(?:(?:[Aa]guardo|[Ee]spero (?:su|tu|sua) respuesta|[Qq]uedo (?:atent[oa]|pendiente)|[Ff]ico no aguardo)[.!,]?|\\d[.!,])[ \\t]+(${NAME_WORD})[ \\t]*[.!]?[ \\t]*$`, 'u'), 0.6],
];
const NOT_NAMES = new Set([
  'Hola', 'Buenas', 'Buenos', 'Gracias', 'Muchas', 'Muchísimas', 'Mil', 'Thank', 'Thanks', 'Good', 'Great', 'Perfect', 'Okay', 'Sure', 'Muito', 'Obrigado', 'Obrigada', 'Olá', 'Oi', 'Bom', 'Boa', 'Hello', 'Hi', 'Soy', 'Sou', 'Habla', 'Acá', 'Aquí', 'Att', 'Atte', 'Saludos', 'Dale', 'Fechado', 'Perfecto', 'Perfeito', 'Ok', 'Vale', 'Listo', 'Pronto', 'Sí', 'Sim', 'Yes', 'No', 'Não', 'Interested', 'Interesado', 'Interesada', 'Cliente', 'Customer', 'Autónomo',
]);
const COMPANY_NAME = `([${UPPER}0-9][\\p{L}0-9&.'-]*(?:[ \\t]+(?:(?:de|del|y|e|&|and|of|da|do|das|dos|la|el|los|las)[ \\t]+)?[${UPPER}0-9&][\\p{L}0-9&.'-]*){0,4})`;
/** Kinds of business whose word is part of the name ("Peluquería Tijeras de Oro"), even written in lower case. */
const BUSINESS_KIND = `(?:${KINDS_OF_BUSINESS.join('|')})`;
/**
 * A business named after an article and a word for any business ("la tienda Abarrotes Don Chuy",
 * "la Panadería Don Ramón", "la peluquería Tijeras de Oro"): its name, with its kind when it has one.
 */
const PLACE_OF_BUSINESS = `(?:(?:la|el|los|las|a|o|the)[ \\t]+)?(?:(?:tienda|empresa|negocio|local|compañía|compania|firma|loja|company|store|shop)[ \\t]+)?`
  + `((?:${BUSINESS_KIND}[ \\t]+)?${COMPANY_NAME.slice(1, -1)})`;
/** A company's legal form ("SA de CV", "Ltda", "S.A.S.", "Ltd"): not part of its name as the guide labels it. */
const LEGAL_FORM = '(?:S\\.?A\\.?(?:[ \\t]+de[ \\t]+C\\.?V\\.?)?|S\\.?R\\.?L\\.?|S\\.?A\\.?S\\.?|S\\.?L\\.?|Ltda\\.?|LTDA|EIRELI|Inc\\.?|LLC|Ltd\\.?|Corp\\.?|GmbH)';
/** A department before the business ("RH da Metalúrgica Sul Forte", "Compras de Grupo Sol"): not its name. */
const DEPARTMENT = /^(?:RH|Recursos Humanos|Compras|Contabilidad|Contabilidade|Marketing|Finanzas|Finan[cç]as|HR|Purchasing|Accounts|Finance)[ \t]+(?:da|de|do|del|of|at)[ \t]+(?=\p{Lu})/u;
const TRAILING_LEGAL_FORM = new RegExp(`[ \\t]+${LEGAL_FORM}\\.?$`, 'u');
const COMPANY_PATTERNS = [
  new RegExp(
    `(?:[Tt]rabajo en|[Tt]rabajamos en|[Dd]e la empresa|[Mm]i empresa(?: es| se llama)?|[Nn]uestra empresa(?: es| se llama)?|[Tt]rabalho na|[Tt]rabalho no|[Dd]a empresa|`
    + `[Mm]inha empresa(?: é| se chama)?|I work (?:at|for)|[Ww]e are|[Oo]ur company(?: is)?|[Mm]y company(?: is)?|[Ff]rom the company|`
    + `[Ff]alo da|[Ff]alo do|[Ee]screvo da|[Ee]screvo do|`
    + `(?:dueñ[oa]|gerente|director|directora|socio director|s[oó]ci[oa]|encargad[oa]|dono|dona|diretor|diretora|owner|manager|partner|founder|CEO|`
    + `comprador|compradora|administrador|administradora|buyer|purchasing manager|office manager) (?:\\p{L}+ )?(?:de|del|da|do|at|of)|`
    // A role somewhere: "encargado de compras en Cremería La Norteña", "jefa de cocina en Hotel Sol".
    + `(?:encargad[oa]|gerente|jefe|jefa|director|directora|coordinador|coordinadora|comprador|compradora|asistente|secretari[oa]) de \\p{L}+ en)[ \\t]+${COMPANY_NAME}`,
    'u',
  ),
  // The business they run, then its name: "we run a little café in Leeds, The Copper Kettle", "tenemos una panadería en Lanús, La Espiga".
  new RegExp(`(?:(?:[Ww]e|I) (?:run|own|have)|(?:[Tt]engo|[Tt]enemos|[Mm]anejo|[Mm]anejamos|[Tt]enho|[Tt]emos) (?:un|una|um|uma)) (?:an? )?(?:[\\p{L}]+ ){0,2}(?:caf[eé]|shop|store|restaurant|bakery|salon|clinic|bar|pub|deli|gym|practice|studio|office|firm|agency|business|company|${BUSINESS_KIND})(?: (?:in|en|em|no|na) [${UPPER}][\\p{L}]+(?: [${UPPER}][\\p{L}]+)?)?,[ \\t]+(?:called[ \\t]+|que se llama[ \\t]+|chamad[oa][ \\t]+)?${COMPANY_NAME}`, 'u'),
  // Who it is for, by its kind: "es para la ferretería El Tornillo de mi viejo", "é pra padaria Pão Quente".
  new RegExp(`(?:[Ee]s|[Ss]er[ií]a|[Éé]|[Ii]t'?s) (?:para|pra|pro|for) (?:la |el |a |o |the |mi |my |nuestra |nuestro )?((?:${BUSINESS_KIND})[ \\t]+${COMPANY_NAME.slice(1, -1)})`, 'u'),
  // "Soy Fernanda Ochoa de Dulces Mexicanos SA", "sou a Patrícia Gomes da Papelaria Central".
  new RegExp(`(?:[Ss]oy|[Ss]ou (?:o|a)|I'm|(?:[Ll]es|[Tt]e|[Oo]s|[Ll]e) escribe|[Qq]uem fala é(?: o| a)?|[Hh]abla|[Tt]his is|[Ii]t'?s|[Aa]c[aá]|[Aa]qu[ií](?: é(?: o| a)?)?)[ \\t]+${TITLE}${PERSON.slice(1, -1)},?[ \\t]+(?:del|de|da|do|from|at)[ \\t]+${PLACE_OF_BUSINESS}`, 'u'),
  // Writing from a place of business: "les escribo de la Panadería Don Ramón", "le hablo de la tienda Abarrotes Don Chuy",
  // "os escribo desde la peluquería Tijeras de Oro", "represento a Vinoteca Malbec & Co".
  new RegExp(`(?:(?:[Ll]es|[Ll]e|[Oo]s|[Tt]e)[ \\t]+(?:escribo|escribimos|hablo|hablamos)[ \\t]+(?:de parte del?|del|de|desde)|[Rr]epresento a|[Rr]epresentamos a|I represent)[ \\t]+${PLACE_OF_BUSINESS}`, 'u'),
  // Who and from where, as a greeting: "Tom from The Crafty Pint here", "Ana de Café Luna por aquí".
  new RegExp(`(?:^|[,.!¡][ \\t]*)(?:(?:[Hh]i|[Hh]ello|[Hh]ey|[Hh]ola|[Bb]uenas|[Oo]i|[Oo]lá|[Mm]orning|[Gg]ood morning),?[ \\t]+)?${PERSON.slice(1, -1)}[ \\t]+(?:from|de|da|do)[ \\t]+${COMPANY_NAME}[ \\t]+(?:here|aqu[ií]|por aqu[ií])(?![\\p{L}])`, 'u'),
  // For someone else: "on behalf of my boss, Mark Delaney at Delaney Roofing", "de parte de mi jefe, Raúl Soto de Grupo Soto".
  new RegExp(`(?:[Oo]n behalf of|[Dd]e parte de|[Ee]m nome d[eo])[ \\t]+(?:(?:my|mi|meu|minha)[ \\t]+\\p{L}+,?[ \\t]+)?${PERSON.slice(1, -1)},?[ \\t]+(?:at|from|de|del|da|do)[ \\t]+${COMPANY_NAME}`, 'u'),
  // A closing, the name and the business: "Un saludo, Javier Ortuño. Asador El Cierzo (compras@…)".
  new RegExp(`(?:^|\\n|[.!?][ \\t]+)${SIGN_OFF}[,.]?[ \\t]*\\n?[ \\t]*${TITLE}(?!(?:[Ll]ic|[Dd]ra?|[Ii]ng|[Ss]ra?|[Mm]rs?|[Mm]s)\\.)${PERSON.slice(1, -1)}[ \\t]*(?:[.,]|\\n)[ \\t]*${COMPANY_NAME}[ \\t]*(?=$|\\(|\\n|,)`, 'u'),
  // A signature line: "Karen Whitworth | Office Manager | Holt & Pryce Solicitors".
  new RegExp(`(?:^|\\n)[ \\t]*${PERSON.slice(1, -1)}[ \\t]*\\|[^|\\n]{2,40}\\|[ \\t]*${COMPANY_NAME}[ \\t]*$`, 'u'),
  // A signature: "Att: Hernán Patiño – Ferretería La Palanca, Pereira".
  new RegExp(`${SIGNATURE}${PERSON.slice(1, -1)}[ \\t]*[-–—|][ \\t]*${COMPANY_NAME}`, 'u'),
  // "Somos Café Montaña", "we're Blue Bottle", "de parte de Hotel Sol", "on behalf of Acme".
  new RegExp(`(?:[Ss]omos(?: de| la| el| a| o| da| do)?|[Ww]e're|[Dd]e parte de|[Ee]m nome d[ao]|[Oo]n behalf of)[ \\t]+(?=[${UPPER}])${COMPANY_NAME}`, 'u'),
  // "mi tienda se llama La Esquina", "nuestro restaurante Casa Lola", "my bakery, Sweet Crumbs".
  new RegExp(
    `(?:[Mm]i|[Nn]uestr[oa]|[Mm]inha|[Mm]eu|[Nn]oss[oa]|[Mm]y|[Oo]ur)[ \\t]+(?:negocio|tienda|local|restaurante|cafeter[ií]a|panader[ií]a|pasteler[ií]a|marca|cl[ií]nica|consultorio|`
    + `estudio|agencia|hotel|escuela|colegio|farmacia|ferreter[ií]a|loja|neg[oó]cio|padaria|escrit[oó]rio|business|shop|store|restaurant|bakery|brand|firm|agency|clinic|studio|caf[eé]|startup)`
    + `,?(?:[ \\t]+(?:se llama|se chama|is called|called|es|é|is))?[ \\t]+(?=[${UPPER}])${COMPANY_NAME}`,
    'u',
  ),
  // A name with its legal form anywhere: "Distribuidora Norte SA de CV", "Papelaria Central Ltda", "Acme Inc.".
  new RegExp(`${COMPANY_NAME.slice(0, -1)}[ \\t]+${LEGAL_FORM})(?![\\p{L}])`, 'u'),
  // Form-like answers ("Empresa: Café Montaña").
  new RegExp(`(?:^|\\n)[ \\t]*(?:[Ee]mpresa|[Cc]ompañía|[Cc]ompany|[Nn]egocio)[ \\t]*:[ \\t]*${COMPANY_NAME}`, 'u'),
  // Last: a business named by its kind and capitalized ("… para Distribuidora Santa Clara"), unless it is where they went.
  new RegExp(`(?<![\\p{L}])(?<!(?<![\\p{L}])(?:en|a|na|no|at|in|to|vi|fui|desde|por)[ \\t]+(?:(?:la|el|a|o|the)[ \\t]+)?)(${BUSINESS_WORD}(?:[ \\t]+(?:(?:de|del|la|el|y|e|&|da|do|dos|das)[ \\t]+)?[${UPPER}0-9][\\p{L}0-9&.'-]*){1,4})`, 'u'),
];
/** Places people say they write from: not companies. */
const PLACES = words(
  'buenos aires', 'cordoba', 'rosario', 'mendoza', 'la plata', 'palermo', 'medellin', 'bogota', 'cali', 'barranquilla', 'cartagena', 'bucaramanga', 'pereira', 'lima', 'arequipa',
  'santiago', 'valparaiso', 'valencia', 'madrid', 'barcelona', 'sevilla', 'bilbao', 'zaragoza', 'malaga', 'mexico', 'cdmx', 'monterrey', 'guadalajara', 'puebla', 'queretaro',
  'tijuana', 'sao paulo', 'rio', 'rio de janeiro', 'curitiba', 'belo horizonte', 'porto alegre', 'recife', 'brasilia', 'campinas', 'brooklyn', 'new york', 'london', 'manchester',
  'leeds', 'chicago', 'miami', 'houston', 'los angeles',
);
/** Whether `text` is a place and nothing more ("Medellín"): said as where someone writes from, it is no company. */
function isPlace(text: string): boolean {
  const folded = fold(text);
  const match = PLACES.exec(folded);
  return match !== null && match[0].length === folded.trim().length;
}
/** A company without the place after it ("Confecciones Arango de Medellín" is Confecciones Arango, in Medellín). */
function withoutPlace(company: string): string {
  return company.replace(/[ \t]+(?:de|del|from|in)[ \t]+(.+)$/u, (all, place: string) => (isPlace(place) ? '' : all));
}
const INTEREST = new RegExp(
  '(?<![\\p{L}])(?:interesad[oa]s? en|me interesan?|nos interesan?|quiero|queremos|quisiera|quisieramos|queria|necesito|necesitamos|busco|buscamos|estamos buscando|cotizar|'
  + 'cotizacion (?:de|para)|precios? de(?:l)?|cuanto (?:me |nos |te )?(?:cuesta|sale|vale|cobran por|saldria|costaria)|tienen|teneis|tenes|hacen|haceis|venden|vendeis|distribuyen|dan servicio de|organizan|'
  + 'me encanto|me encanta|informacion (?:de|del|sobre)|ando buscando|andamos buscando|ocupo|ocupamos|requiero|requerimos|manejan|manejas|estoy buscando|viendo opciones de|opciones de|me gustaria(?: saber)?|el valor del?|me llevo|me llego|'
  + 'hacer el pedido de(?:l| las| los)?|el pedido de(?:l| las| los)?|'
  + 'interessad[oa]s? (?:em|no|na|nos|nas)|tenho interesse (?:em|no|na)|vou querer|quero|gostaria de orcar|gostaria de|voces atendem|atendem|voces tem|vcs tem|preciso de|preciso|precisamos de|precisamos|procuro|orcamento de|quanto custa|vocês fazem|voces fazem|'
  + 'interested in|looking for|we need|i need|need a|do you (?:guys )?(?:sell|carry)|can i book|go ahead with the order of|want|i\'?d like|we\'?d like|quote for|price of|pricing for|how much is|how much for|do you do|do you have|i\'?ll take)'
  // The phrase runs to the end of the clause ("3.000 botellas" keeps its thousands separator).
  + '\\s+((?:[^.,;!?\\n]|(?<=\\d)[.,](?=\\d)){2,90})',
  'u',
);
/** What an interest phrase runs into: the next clause. */
const INTEREST_END = /\s+(?:y|e|que|porque|pero|mas|and|but|because|so|es|is|por favor|please|urgente|la necesito|lo necesito|hoy|today|hoje|el (?:lunes|martes|miercoles|miércoles|jueves|viernes|sábado|sabado|domingo)|(?:para|for) (?:el|la|hoy|mañana|manana|esta|este|la próxima|next|tomorrow|today)\b|en (?:talle|talla)|in size|(?:en )?tall[ae] \d+|size \d+|de (?:la|nuestra) empresa|de \d+ (?:usuarios|personas)|(?:para|for|pro|pra|de|da|do|at|in) (?:mi|mis|nuestr[oa]s?|su|sus|my|our|his|her|their|(?:o |a )?(?:meu|minha|nosso|nossa|seu|sua)) (?:[\p{L}]+ )?(?:tienda|negocio|local|oficina|casa|empresa|equipo|restaurante|cafeter[ií]a|consultorio|cl[ií]nica|estudio|hotel|hostal|sal[oó]n|sal[aã]o|loja|escrit[oó]rio|time|neg[oó]cio|shop|store|office|home|house|team|business|company|restaurant|caf[eé]|studio|salon|hija|hijo|mam[aá]|pap[aá]|esposa|esposo|filha|filho|m[aã]e|pai|daughter|son|wife|husband|mom|dad)|porfa(?:vor)?|pls|plz|si es posible|if possible|se poss[ií]vel|pelo (?:conv[eê]nio|plano)|nothing fancy|(?:la semana|el mes) pasad[oa]|ayer|last (?:week|month)|yesterday)(?![\p{L}]).*$/iu;
const INTEREST_LEAD = /^(?:(?:go ahead with|(?:el |the |o )?(?:pedido|order) (?:de|of)|disponibles?|en stock|em estoque|comprar|cotizar|encargar|contratar|hacer|armar|montar|crear|desarrollar|surtir|saber el (?:valor|precio) del?|agendar|pedir|sacar|marcar|reservar|book|buy|get|to|una cotización de|una cotizacion de|cotización de|precios? de|lista de precios de|información del?|informacion del?|saber si|el|la|los|las|un|una|unos|unas|o|a|os|as|um|uma|the|an?|some)\s+)+/iu;
const NOT_INTEREST = /reembolso|devoluci[oó]n|devolver|dinero|plata|refund|trocar|replacement|proveedor|fornecedor|run it by|consultar|check with|soluci[oó]n|^cancel|(?:^|\s)(?:no|n[aã]o|not|ya|j[aá])$|^(?:pedido|orden|order|produto|producto|product|paquete|package|compra|encomenda|env[ií]o|entrega|delivery)(?:\s+(?:n[oº.]*\s*)?#?\d+)?$|solu[cç][aã]o|solution|^(?:hablar|falar|talk|speak|to talk|que)(?![\p{L}])|^(?:saber|comprar|cotizar|ahora|agora|m[aá]s|alguien|algo|something|para|pra|pro|for|por)$/iu;
/** A message that is only a greeting, a placeholder for media, or emoji. */
const EMPTY_SENTENCE = /^(?:(?:hola|buenas|buenos dias|buenas tardes|buenas noches|buen dia|oi|ola|bom dia|boa tarde|hi|hello|hey|ok|gracias|obrigad[oa]|thanks|perd[oó]n|audio|foto|photo|video|sticker|documento?)[\s!.,¡¿?]*)+$/iu;
// Bounded parts, starting where a run of address characters starts: unbounded runs rescanned a
// long text from every position (quadratic; seconds for one 65,536-character message).
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,251}\.[A-Za-z]{2,63}/g;
const emailSchema = z.email();
const MOBILE_CUE = words('cel', 'celu', 'celular', 'movil', 'whatsapp', 'wsp', 'wpp', 'zap', 'mobile', 'cell');

const DEFAULT_COUNTRY: Record<Language, CountryCode> = { es: 'MX', pt: 'BR', en: 'US' };
/** What "$", "pesos" and a bare "20 mil" mean where the customer is. */
const LOCAL_CURRENCY: Partial<Record<CountryCode, string>> = {
  MX: 'MXN', AR: 'ARS', CO: 'COP', CL: 'CLP', PE: 'PEN', UY: 'UYU', BR: 'BRL', ES: 'EUR', PT: 'EUR', US: 'USD', CA: 'CAD', GB: 'GBP',
};

const found = (value: string, line: ConversationLine, confidence: number): ExtractedValue => ({
  value: value.trim().slice(0, 300),
  messageId: line.id,
  confidence,
});

/** The newest customer message where `read` finds something wins (people correct themselves). */
function newest(lines: readonly ConversationLine[], read: (line: ConversationLine) => ExtractedValue | null): ExtractedValue | null {
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const value = read(lines[index]!);
    if (value) return value;
  }
  return null;
}

/** The first customer message where `read` finds something (what the conversation is about). */
function first(lines: readonly ConversationLine[], read: (line: ConversationLine) => ExtractedValue | null): ExtractedValue | null {
  for (const line of lines) {
    const value = read(line);
    if (value) return value;
  }
  return null;
}

function matchIn(line: ConversationLine, pattern: RegExp): RegExpExecArray | null {
  return pattern.exec(fold(line.body));
}

/** The country national numbers are read in: the one Charla gives, else the contact's number's, else the language's. */
function readingCountry(input: AnalysisInput, language: Language): CountryCode {
  if (input.phoneCountry && isSupportedCountry(input.phoneCountry)) return input.phoneCountry;
  return (input.contact.phone && parsePhoneNumberFromString(input.contact.phone)?.country) || DEFAULT_COUNTRY[language];
}

/**
 * The number as WhatsApp knows it: an Argentine mobile written without its 9 ("mi cel 11 3344-5566")
 * is +54 9 11 3344-5566.
 */
function mobileForm(number: string, line: string): string {
  if (!number.startsWith('+54') || number.startsWith('+549') || !MOBILE_CUE.test(fold(line))) return number;
  const mobile = parsePhoneNumberFromString(`+549${number.slice(3)}`);
  return mobile?.isValid() ? mobile.number : number;
}

/**
 * The thing a question or a grievance is about when no wish is said: "¿el colchón tiene garantía?",
 * "O tênis Nike Air Max 42 tem em estoque?", "el horno que compré…", "compré unos audífonos y…",
 * "the blender I ordered…" (folded text; the span is read back from the original).
 */
const ARTICLE = '(?:el|la|los|las|o|a|os|as|the|my|mi|un|una|unos|unas|um|uma|an?)';
// Words separated by spaces, each read one way only (an optional separator would let a long word split in countless ways).
const THING = '([\\p{L}\\d][\\p{L}\\d-]{0,40}(?:\\s[\\p{L}\\d][\\p{L}\\d-]{0,40}){0,4}?)';
const SUBJECT = new RegExp(
  `(?:^|[¿¡,]\\s*|[.!?]\\s+|(?:hola|buenas|buenos dias|bom dia|boa tarde|hi|hello)[,!]?\\s+)${ARTICLE}\\s+${THING}\\s+`
  + '(?:tiene|tienen|atiende|atienden|se puede|incluye|viene|vienen|vino|llego|veio|chegou|came|arrived|(?:lo|la) cubre|tem|vem|inclui|has|comes|includes|que compre|que pedi|que me vendieron|que comprei|(?:i|we) (?:ordered|bought))(?![\\p{L}])',
  'du',
);
const BOUGHT = new RegExp(`(?:compre|comprei|compramos|bought|i ordered|link de pago d[eo]l?|enlace de pago d[eo]l?|turno (?=de)|price list for)\\s+(?:${ARTICLE}\\s+)?${THING}(?=\\s+(?:y|e|and|pero|mas|but|que|la semana|el mes|hace|ayer|last|a week|por|para|en|for)(?![\\p{L}])|[.,;!?]|$)`, 'du');

/** A verb in the past in the same clause before a date: it tells when something happened, not a deadline ("la compré el sábado"). */
const PAST_BEFORE = /(?<![\p{L}])(?:compre|compramos|pague|llego|llegaron|vino|vinieron|dieron|hice|hicimos|entregaron|recibi|comprei|chegou|veio|paguei|recebi|entregaram|bought|ordered|arrived|paid|delivered|received|came|showed up|picked up|retire|recogi|retirei|busquei)(?![\p{L}])[^.;!?\n]*$/u;
/** A date followed by when they will answer ("mañana le digo a ella", "I'll let you know tomorrow" reads the other way): not when they need it. */
const ANSWERING_AFTER = /^\s*(?:(?:le|les|te|os|lhe|vos) )?(?:digo|aviso|confirmo|comento|cuento|escribo|respondo|falo|confirmamos|avisamos)(?![\p{L}])/u;
/** Paying on a condition ("si la pago hoy, ¿cuándo me la llevan?") says nothing of when they need it. */
const PAYING_IF_BEFORE = /(?<![\p{L}])(?:si|se|if) (?:te |les |lo |la |i )?(?:pago|liquido|transfiero|deposito|pagar|pay)\s+$/u;
/** When they will pay is not when they need it ("te transfiero hoy", "faço o pix amanhã"). */
const PAYING_BEFORE = /(?<![\p{L}])(?:te |les |lo |la )?(?:transfiero|deposito|pago|transfiro|faco o pix|mando o pix|i'?ll pay|pay)\s+$/u;

/** The first date or deadline of a message that is not the date of something past. */
function timelineIn(line: ConversationLine, paying = false): RegExpExecArray | null {
  return whenNeeded(fold(line.body), TIMELINE, paying);
}

/** The first match of `pattern` in folded `text` that is not when something happened, nor (unless `paying`) when they will pay. */
function whenNeeded(text: string, pattern: RegExp, paying = false): RegExpExecArray | null {
  for (const match of text.matchAll(globally(pattern))) {
    const before = text.slice(Math.max(0, match.index - 60), match.index);
    if (ANSWERING_AFTER.test(text.slice(match.index + match[0].length, match.index + match[0].length + 30))) continue;
    if (!PAST_BEFORE.test(before) && !PAYING_IF_BEFORE.test(before) && (paying || !PAYING_BEFORE.test(before))) return match as RegExpExecArray;
  }
  return null;
}

const OWNED = new RegExp(`(?:^|\\s)${ARTICLE}\\s+${THING}\\s+(?:que (?:compre|pedi|devolvi|me vendieron|comprei|devolvi)|(?:i|we) (?:ordered|bought|returned))(?![\\p{L}])`, 'du');

function interestIn(line: ConversationLine): ExtractedValue | null {
  const match = matchIn(line, INTEREST) ?? matchIn(line, SUBJECT) ?? matchIn(line, BOUGHT) ?? matchIn(line, OWNED);
  if (!match) return null;
  // Read the same span from the original text (accents and case kept; folding keeps NFC's length).
  const start = match.indices?.[1]?.[0] ?? match.index + match[0].length - match[1]!.length;
  const original = line.body.normalize('NFC').slice(start, start + match[1]!.length);
  const phrase = original.replace(INTEREST_END, '').replace(INTEREST_LEAD, '').split(/\s+/).slice(0, 7).join(' ').replace(/[\s¿?]+$/u, '');
  if (phrase.length < 3 || NOT_INTEREST.test(phrase) || !/\p{L}{3}/u.test(phrase)) return null;
  return found(phrase, line, 0.75);
}

/** The business asking who is writing ("¿con quién tengo el gusto?", "qual seu nome?", "who am I speaking with?"), folded. */
const ASKS_NAME = words(
  'tu nombre', 'su nombre', 'como te llamas', 'como se llama', 'con quien (?:hablo|tengo el gusto)', 'a nombre de quien', 'seu nome', 'como (?:voce )?se chama', 'com quem (?:eu )?falo',
  'nombre completo', 'nome completo', '(?:get|have|take) (?:a|your) name', 'a quien (?:se lo|te lo|se la|te la|lo|la) (?:mando|envio|mandamos|enviamos)', 'nombre y (?:apellido|dni|cedula|telefono)', 'your (?:full )?name', 'who am i speaking (?:with|to)', 'who is this', "who'?s this",
);
/** What may follow a name given in answer: thanks, "at your service". */
const ANSWER_TAIL = new RegExp(`[\\s.!,]*(?:gracias|obrigad[oa]|thanks|${AT_YOUR_SERVICE})?[\\s.!]*$`, 'iu');
const ANSWER_LEAD = /^(?:a m[ií],?|con|es|soy|de|a nombre de|sou(?: [oa])?|é(?: [oa])?|e(?: [oa])?|it'?s|this is|i'?m|i am)\s+/iu;
const NAME_PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'da', 'das', 'do', 'dos', 'van', 'der', 'den', 'von', 'di', 'du']);

/** A customer's reply to the business asking their name, when it is only a name ("maría de la luz hernández", "Con Gonzalo"). */
function answeredName(line: ConversationLine): string | null {
  const body = line.body.trim().replace(ANSWER_TAIL, '').replace(ANSWER_LEAD, '');
  // The name alone, or the name and then something else ("Yesenia Robles. mi cel 81 2345 6789").
  return nameOnly(body) ?? nameOnly(body.split(/[.,;]\s+|\s+[-–]\s+/u)[0]!.replace(/[.!]+$/u, ''));
}

function nameOnly(text: string): string | null {
  const parts = text.split(/\s+/u);
  if (parts.length > 5 || !/^[\p{L}'’-]+(?:\s+[\p{L}'’-]+)*$/u.test(text)) return null;
  const named = parts.filter((word) => !NAME_PARTICLES.has(word.toLowerCase()));
  const stop = (word: string) => (['es', 'pt', 'en'] as const).some((language) => STOPWORDS[language].has(fold(word)));
  if (named.length === 0 || named.some((word) => word.length < 2 || stop(word)) || NOT_NAMES.has(named[0]!.replace(/^\p{Ll}/u, (letter) => letter.toUpperCase()))) return null;
  return parts.map((word) => (NAME_PARTICLES.has(word.toLowerCase()) ? word.toLowerCase() : word.replace(/(^|[-'’])\p{Ll}/gu, (letter) => letter.toUpperCase()))).join(' ');
}

/** The customer messages that answer the business asking their name (the next customer message after each such question). */
export function nameAnswers(messages: readonly ConversationLine[]): Set<string> {
  const ids = new Set<string>();
  messages.forEach((line, index) => {
    if (line.from !== 'business' || !ASKS_NAME.test(fold(line.body))) return;
    const reply = messages.slice(index + 1).find((next) => next.from === 'customer' && next.body.trim().length > 0);
    if (reply) ids.add(reply.id);
  });
  return ids;
}

export function extractLead(
  customer: readonly ConversationLine[], country: CountryCode, currency = LOCAL_CURRENCY[country] ?? 'USD', answers: ReadonlySet<string> = new Set(),
): Lead {
  const email = newest(customer, (line) => {
    const candidates = (line.body.match(EMAIL) ?? []).map((text) => text.replace(/\.+$/, ''));
    const valid = candidates.findLast((text) => emailSchema.safeParse(text).success);
    return valid ? found(valid.toLowerCase(), line, 0.95) : null;
  });
  const phone = newest(customer, (line) => {
    const numbers = findPhoneNumbersInText(line.body, { defaultCountry: country })
      .map((match) => match.number)
      .filter((number) => number.isValid());
    const number = numbers.at(-1);
    return number ? found(mobileForm(number.number, line.body), line, line.body.includes('+') ? 0.95 : 0.85) : null;
  });
  const name = newest(customer, (line) => {
    const answer = answers.has(line.id) ? answeredName(line) : null;
    if (answer) return found(answer, line, 0.75);
    for (const [pattern, confidence] of NAME_PATTERNS) {
      const match = pattern.exec(line.body);
      const candidate = match?.slice(1).find(Boolean)?.trim()
        .replace(/(^|\s)(\p{Ll}+)/gu, (all, space: string, word: string) => (NAME_PARTICLES.has(word) ? all : `${space}${word[0]!.toUpperCase()}${word.slice(1)}`));
      if (candidate && !NOT_NAMES.has(candidate.split(/\s+/)[0]!)) return found(candidate, line, confidence);
    }
    return null;
  });
  const company = newest(customer, (line) => {
    for (const pattern of COMPANY_PATTERNS) {
      const match = pattern.exec(line.body);
      const candidate = withoutPlace(match?.[match.length - 1]?.split(/[.,;!?]\s/u)[0]?.replace(TRAILING_LEGAL_FORM, '').replace(/[.'-]+$/, '').replace(DEPARTMENT, '') ?? '');
      if (candidate.length > 1 && !isPlace(candidate)) return found(`${candidate[0]!.toUpperCase()}${candidate.slice(1)}`, line, 0.8);
    }
    return null;
  });
  const productInterest = first(customer, interestIn);
  const budget = newest(customer, (line) => {
    const amounts = findAmounts(line.body, currency).filter((amount) => !NOT_BUDGET_BEFORE.test(line.body.normalize('NFC').slice(0, amount.index)));
    const amount = amounts.at(-1);
    // As written ("20 mil pesos"): a deal reads it in its pipeline's currency when none is named.
    return amount ? found(amount.text, line, amount.explicit ? 0.8 : 0.7) : null;
  });
  // When they will pay is their timeline only when they name no other date ("la pago hoy en la
  // tarde en la tienda" is when they buy; with "entréguenmelo el jueves", Thursday is).
  const when = (paying: boolean) => ({
    timeline: newest(customer, (line) => {
      const match = timelineIn(line, paying);
      return match ? found(match[0], line, 0.7) : null;
    }),
    urgency: newest(customer, (line) => {
      const text = fold(line.body);
      if (LOW_URGENCY.test(text)) return found('low', line, 0.7);
      if (whenNeeded(text, HIGH_URGENCY, paying)) return found('high', line, 0.8);
      return timelineIn(line, paying) ? found('medium', line, 0.6) : null;
    }),
  });
  const needed = when(false);
  const { timeline, urgency } = needed.timeline || needed.urgency ? needed : when(true);
  return { name, email, phone, company, productInterest, budget, timeline, urgency };
}

// ------------------------------------------------------------------ summary

function sentencesOf(line: ConversationLine): string[] {
  return line.body.split(/(?<=[.!?])\s+|\n+/u).map((sentence) => sentence.trim()).filter((sentence) => sentence.length > 0);
}

/** First person → third person, phrase by phrase (folded keys; the replacement keeps the first letter's case). */
const THIRD_PERSON: Record<Language, Array<[string, string]>> = {
  es: [
    ['me llamo', 'se llama'], ['mi nombre es', 'su nombre es'], ['me interesan', 'le interesan'], ['me interesa', 'le interesa'], ['nos interesa', 'les interesa'],
    ['lo necesito', 'lo necesita'], ['la necesito', 'la necesita'], ['los necesito', 'los necesita'], ['lo necesitamos', 'lo necesitan'], ['me duele', 'le duele'],
    ['quiero', 'quiere'], ['queremos', 'quieren'], ['necesito', 'necesita'], ['necesitamos', 'necesitan'], ['busco', 'busca'], ['buscamos', 'buscan'],
    ['tengo', 'tiene'], ['tenemos', 'tienen'], ['estoy', 'está'], ['estamos', 'están'], ['soy', 'es'], ['somos', 'son'], ['trabajo', 'trabaja'],
    ['puedo', 'puede'], ['podemos', 'pueden'], ['hice', 'hizo'], ['compre', 'compró'], ['pague', 'pagó'], ['decido', 'decide'], ['voy', 'va'], ['vamos', 'van'],
    ['llevo', 'lleva'], ['perdi', 'perdió'], ['quisiera', 'quisiera'], ['queria', 'quería'], ['les escribo', 'escribe'], ['le escribo', 'escribe'], ['os escribo', 'escribe'],
    ['mi', 'su'], ['mis', 'sus'], ['nuestro', 'su'], ['nuestra', 'su'], ['nuestros', 'sus'], ['nuestras', 'sus'], ['me', 'le'], ['nos', 'les'],
  ],
  pt: [
    ['me chamo', 'se chama'], ['meu nome e', 'seu nome é'], ['quero', 'quer'], ['queremos', 'querem'], ['preciso', 'precisa'], ['precisamos', 'precisam'],
    ['procuro', 'procura'], ['tenho', 'tem'], ['temos', 'têm'], ['estou', 'está'], ['sou', 'é'], ['somos', 'são'], ['trabalho', 'trabalha'], ['vou', 'vai'],
    ['adorei', 'adorou'], ['fui', 'foi'], ['esperei', 'esperou'], ['falo', 'fala'], ['comprei', 'comprou'], ['gostaria', 'gostaria'],
    ['meu', 'seu'], ['minha', 'sua'], ['meus', 'seus'], ['minhas', 'suas'], ['nosso', 'seu'], ['nossa', 'sua'], ['me', 'lhe'],
  ],
  en: [
    ["i'm", 'is'], ['i am', 'is'], ['i need', 'needs'], ['i want', 'wants'], ['i have', 'has'], ["i'd like", 'would like'], ['i work', 'works'], ['i was', 'was'],
    ["i'll", 'will'], ['i decide', 'decides'], ['we need', 'need'], ['we want', 'want'], ['we have', 'have'], ["we're", 'are'], ['we are', 'are'],
    ['my', 'their'], ['our', 'their'], ['me', 'them'], ['i', 'they'], ['we', 'they'],
  ],
};
const THIRD_PERSON_PATTERNS: Record<Language, Array<[RegExp, string]>> = Object.fromEntries(
  Object.entries(THIRD_PERSON).map(([language, pairs]) => [
    language,
    pairs.map(([from, to]) => [new RegExp(`(?<![\\p{L}\\p{N}'])${from.replace(/[aeiou]/g, (v) => `[${v}${{ a: 'áâã', e: 'éê', i: 'í', o: 'óôõ', u: 'úü' }[v]}]`)}(?![\\p{L}\\p{N}'])`, 'giu'), to]),
  ]),
) as Record<Language, Array<[RegExp, string]>>;

function thirdPerson(sentence: string, language: Language): string {
  let text = sentence.replace(/^(?:(?:hola|buenas(?: tardes| noches)?|buenos d[ií]as|buen d[ií]a|qu[eé] tal|oi|ol[aá]|bom dia|boa tarde|hi|hello|hey)[\s!,.¡]*)+/iu, '');
  // One pass: each span is replaced once (no chain "quiero" → "quiere" → …).
  const spans: Array<[number, number, string]> = [];
  for (const [pattern, replacement] of THIRD_PERSON_PATTERNS[language]) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (spans.some(([a, b]) => start < b && end > a)) continue;
      spans.push([start, end, /^\p{Lu}/u.test(match[0]) ? replacement[0]!.toUpperCase() + replacement.slice(1) : replacement]);
    }
  }
  for (const [start, end, replacement] of spans.sort((a, b) => b[0] - a[0])) text = text.slice(0, start) + replacement + text.slice(end);
  if (language === 'en') text = text.replace(/^(?:They|they) (\p{L})/u, (_all, letter: string) => letter.toUpperCase());
  text = text.replace(/^[¡¿]?\p{Ll}/u, (letter) => letter.toUpperCase());
  return text.replace(/[\s,;:]+$/u, '');
}

const SUMMARY_WORDS: Record<Language, { budget: string; timeline: string }> = {
  es: { budget: 'presupuesto', timeline: 'plazo' },
  pt: { budget: 'orçamento', timeline: 'prazo' },
  en: { budget: 'budget', timeline: 'timeline' },
};

/**
 * The two or three customer sentences that carry the request, the amounts and the decision, in
 * their order and in the third person, then the budget and timeline when those sentences left them out.
 */
function summarize(customer: readonly ConversationLine[], lead: Lead, language: Language): string {
  const values = [lead.name, lead.company, lead.productInterest, lead.timeline].filter((value): value is ExtractedValue => value !== null).map((value) => fold(value.value));
  const scored = customer.flatMap(sentencesOf).filter((sentence) => !EMPTY_SENTENCE.test(sentence) && /\p{L}{2}/u.test(sentence)).map((sentence, order) => {
    const text = fold(sentence);
    let score = 0;
    for (const value of values) if (value.length > 2 && text.includes(value)) score += 3;
    if (lead.budget && findAmounts(sentence, 'USD').length > 0) score += 3;
    score += Math.min(2, topicsOf(text).length) * 1.5;
    if (BUY.test(text) || NEED.test(text)) score += 2;
    if (sentimentOf(sentence) < 0) score += 2;
    if (sentence.includes('?')) score += 1;
    if (sentence.match(EMAIL) && sentence.split(/\s+/).length < 7) score -= 3;
    if (sentence.split(/\s+/).length < 4) score -= 2;
    return { sentence, order, score };
  });
  const best = [...scored].sort((a, b) => b.score - a.score || a.order - b.order).slice(0, 2).sort((a, b) => a.order - b.order);
  const parts = best.map(({ sentence }) => thirdPerson(sentence.replace(/[.!?]+$/u, ''), language)).filter((part) => part.length > 0);
  const chosen = fold(best.map(({ sentence }) => sentence).join(' '));
  const labels = SUMMARY_WORDS[language];
  if (lead.budget && !best.some(({ sentence }) => findAmounts(sentence, 'USD').length > 0)) parts.push(`${labels.budget} ${lead.budget.value}`);
  if (lead.timeline && !chosen.includes(fold(lead.timeline.value))) parts.push(`${labels.timeline}: ${lead.timeline.value}`);
  const summary = parts.join('; ');
  if (!summary) return '';
  const sentence = `${summary}.`.replace(/([.!?])\.$/u, '$1');
  return sentence.length > 400 ? `${sentence.slice(0, 399)}…` : sentence;
}

const NEXT_ACTIONS: Record<Language, Record<Recommendation, string>> = {
  es: {
    close: 'Enviar el enlace de pago y confirmar el pedido.',
    send_quote: 'Enviar la cotización con precio y plazos.',
    discover_budget: 'Preguntar por el presupuesto y el uso que le dará.',
    align_urgency: 'Acordar una fecha: mostrar qué gana si decide ahora.',
    reach_decision_maker: 'Ofrecer un resumen o una llamada con quien decide.',
    show_value: 'Explicar el valor y las opciones de pago antes de hablar de descuentos.',
    resolve_issue: 'Disculparse, resolver el problema y confirmar la solución.',
    nurture: 'Responder la consulta y mantener el contacto.',
  },
  pt: {
    close: 'Enviar o link de pagamento e confirmar o pedido.',
    send_quote: 'Enviar o orçamento com preço e prazos.',
    discover_budget: 'Perguntar pelo orçamento e pelo uso previsto.',
    align_urgency: 'Combinar uma data: mostrar o que ganha decidindo agora.',
    reach_decision_maker: 'Oferecer um resumo ou uma ligação com quem decide.',
    show_value: 'Explicar o valor e as formas de pagamento antes de falar de desconto.',
    resolve_issue: 'Pedir desculpas, resolver o problema e confirmar a solução.',
    nurture: 'Responder a dúvida e manter o contato.',
  },
  en: {
    close: 'Send the payment link and confirm the order.',
    send_quote: 'Send a quote with price and delivery times.',
    discover_budget: 'Ask about budget and intended use.',
    align_urgency: 'Agree on a date: show what they gain by deciding now.',
    reach_decision_maker: 'Offer a summary or a call with the decision maker.',
    show_value: 'Explain the value and payment options before discussing discounts.',
    resolve_issue: 'Apologize, fix the problem and confirm the fix.',
    nurture: 'Answer the question and keep in touch.',
  },
};

/** What comes first when the conversation is waiting on someone: the customer's open question, or the agent's unanswered message. */
const WAITING: Record<Language, { question: string; followUp: string; then: string; stage: string }> = {
  es: { question: 'Responder su pregunta', followUp: 'Esperar su respuesta y, si no contesta, hacer seguimiento', then: 'luego', stage: 'Etapa' },
  pt: { question: 'Responder a pergunta', followUp: 'Aguardar a resposta e, se não responder, fazer follow-up', then: 'depois', stage: 'Etapa' },
  en: { question: 'Answer their question', followUp: 'Wait for their reply and follow up if they go quiet', then: 'then', stage: 'Stage' },
};

/** The next action: the recommendation, in the light of who spoke last and the open deal's stage. */
function nextActionFor(input: AnalysisInput, language: Language, recommendation: Recommendation): string {
  const action = NEXT_ACTIONS[language][recommendation];
  const last = [...input.messages].reverse().find((line) => line.body.trim().length > 0);
  const waiting = WAITING[language];
  const lowered = `${action[0]!.toLowerCase()}${action.slice(1)}`;
  let text = action;
  if (last?.from === 'business') text = `${waiting.followUp}; ${waiting.then}: ${lowered}`;
  else if (last?.body.includes('?')) text = `${waiting.question}; ${lowered}`;
  if (input.deal) text = `${waiting.stage} «${input.deal.stage}»: ${text[0]!.toLowerCase()}${text.slice(1)}`;
  return text.slice(0, 300);
}

export interface HeuristicAnalysis extends Analysis {
  language: Language;
}

/**
 * How much of each message the heuristics read: people state who they are, what they want and
 * their budget up front, and libphonenumber-js's scan of a text grows faster than its length.
 */
const READ_CHARS = 1000;

/** The business confirming a booking or a reservation the customer asked for. */
const BUSINESS_CONFIRMS = words(
  '(?:queda|quedo|quedas|quedan|esta|estas|ya esta) (?:agendad[oa]s?|reservad[oa]s?|apartad[oa]s?|confirmad[oa]s?|separad[oa]s?)', 'te (?:agende|aparte|reserve|separe)',
  'le (?:agende|aparte|reserve|separe)', '(?:listo|perfecto|hecho),? (?:\\p{L}+,? )?(?:agendad[oa]|reservad[oa]|apartad[oa]|quedo (?:el|para el|agendad[oa]|reservad[oa]))', 'agendad[oa] (?:para|el|hoy|manana)',
  '(?:ficou|esta|ta) (?:agendad[oa]|reservad[oa]|separad[oa]|marcad[oa])', '(?:agendei|reservei|separei) (?:pra|para) (?:voce|vc|o senhor|a senhora)',
  "you'?re (?:all )?(?:set|booked)", "(?:i'?ve|we'?ve) (?:booked|reserved|put (?:it|one|them) aside)", 'booked (?:you|for)', '(?:is|are) reserved for you',
);
/** The business saying sorry: the customer complained. */
const BUSINESS_APOLOGY = words(
  'lamentamos', 'lamento (?:mucho|lo)', 'una disculpa', 'mil disculpas', 'disculpa(?:nos|e|a)? (?:la|las|el|los) (?:demora|molestia|molestias|inconveniente|inconvenientes)',
  'que pena con (?:usted|ustedes|vos)', 'sentimos (?:mucho|las molestias|el inconveniente)', 'pedimos (?:disculpas|desculpas)', 'sinto muito',
  'desculpe (?:a|o|pelo|pela|pelos|pelas) (?:demora|transtorno|inconveniente|ocorrido)', 'sorry (?:about|for) (?:that|this|the)', 'we apologi[sz]e', 'our apologies', 'so sorry to hear',
);
const VOICE_NOTE = words('audios?', 'notas? de voz', 'mensajes? de voz', 'voice (?:notes?|messages?)', 'mensage(?:ns|m) de voz');
const CLOCK = /\b(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s*(?:am|pm|a\.m\.|p\.m\.|hs|h|hrs)?\b/iu;
const CLOCK_ALL = globally(CLOCK);
/** Words around a time picked ("a las 4 pm porfa"), whole words only: "pass" is no "as". */
const SLOT_FILLERS = /(?<![\p{L}])(?:por ?fa(?:vor)?|pls|please|plz|por favor|entonces|mejor|la de las?|a las?|as|at|the|ok|va|dale|si|sim|yes|listo|perfecto|el|para el|on|hoy|manana|today|tomorrow|hoje|amanha|lunes|martes|miercoles|jueves|viernes|sabado|domingo|segunda|terca|quarta|quinta|sexta|monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?![\p{L}])/gu;
/** A time as a business offers it: "4:30", "5 pm", "a las 10", "às 9", "at 3". */
const OFFERED_TIME = /(?<![\p{L}\d])(?:(?:a las?|as|at|a la) \d{1,2}(?::[0-5]\d)?|\d{1,2}:[0-5]\d|\d{1,2} ?(?:am|pm|a\.m\.|p\.m\.|hs|h|hrs))(?![\p{L}\d])/gu;
/** The customer picking one of the times the business offered ("4 pm porfa" after "4:00 pm o 5:30 pm"). */
function choseOfferedSlot(messages: readonly ConversationLine[]): boolean {
  return messages.some((line, index) => {
    if (line.from !== 'customer' || index === 0) return false;
    const offer = messages[index - 1]!;
    if (offer.from !== 'business' || (fold(offer.body).match(OFFERED_TIME) ?? []).length < 2) return false;
    const rest = fold(line.body).replace(SLOT_FILLERS, '').replace(CLOCK_ALL, '').trim();
    return CLOCK.test(line.body) && rest.replace(/[\s.,!¡?¿]/gu, '').length <= 2;
  });
}

export function analyzeConversation(input: AnalysisInput): HeuristicAnalysis {
  const customer = input.messages
    .filter((line) => line.from === 'customer' && line.body.trim().length > 0)
    .map((line) => (line.body.length > READ_CHARS ? { ...line, body: line.body.slice(0, READ_CHARS) } : line));
  const language = detectLanguage(customer.map((line) => line.body));
  const country = readingCountry(input, language);
  const lead = extractLead(customer, country, input.currency ?? LOCAL_CURRENCY[country] ?? 'USD', nameAnswers(input.messages));
  const all = fold(customer.map((line) => line.body).join('\n'));
  const topics = topicsOf(all, input.topicWords);
  const objections = (Object.keys(OBJECTION_WORDS) as Objection[]).filter((objection) => OBJECTION_WORDS[objection].test(all));
  const business = input.messages.filter((line) => line.from === 'business').map((line) => fold(line.body));
  // What the business answered says what the customer did: it booked or set aside what they
  // chose, or apologized for what went wrong.
  const confirmed = business.some((text) => BUSINESS_CONFIRMS.test(text));
  const buying = BUY.test(all) || confirmed || choseOfferedSlot(input.messages);
  // (Not an apology for not hearing a voice note.)
  // Sorry for a voice note it cannot hear, or sympathy before booking what they asked for, is no complaint.
  const apologized = !confirmed && business.some((text) => BUSINESS_APOLOGY.test(text) && !VOICE_NOTE.test(text));
  if (!topics.includes('complaint') && apologized) topics.push('complaint');
  const need = lead.productInterest ?? newest(customer, (line) => {
    const sentence = sentencesOf(line).find((text) => NEED.test(fold(text)));
    return sentence ? found(sentence.slice(0, 200), line, 0.6) : null;
  });
  const intent: Intent = buying || (lead.budget && lead.timeline && need)
    ? 'high'
    : need || lead.budget || topics.some((topic) => topic === 'pricing' || topic === 'payment' || topic === 'scheduling') ? 'medium' : 'low';
  const authority = newest(customer, (line) => {
    const match = matchIn(line, AUTHORITY) ?? matchIn(line, OBJECTION_WORDS.authority);
    return match ? found(match[0], line, 0.7) : null;
  });
  const bant = { budget: lead.budget, authority, need, timing: lead.timeline ?? (lead.urgency?.value === 'high' ? lead.urgency : null) };
  const mood = sentiment(customer);
  const recommendation = recommend({ intent, objections, topics, sentiment: mood.sentiment, bant, urgency: lead.urgency?.value ?? null });
  return {
    language,
    lead,
    summary: summarize(customer, lead, language),
    sentiment: mood.sentiment,
    sentimentTrend: mood.trend,
    topics,
    nextAction: nextActionFor(input, language, recommendation),
    intent,
    objections,
    bant,
  };
}

type Phrases = Record<Recommendation | 'askEmail' | 'pricing' | 'shipping' | 'payment' | 'thanks', (name: string, interest: string) => string>;

const REPLIES: Record<Language, Phrases> = {
  es: {
    close: (n, i) => `¡Perfecto${n}! Te envío ahora el enlace de pago para confirmar tu pedido${i}.`,
    send_quote: (n, i) => `¡Claro${n}! Te preparo la cotización${i} y te la envío en unos minutos.`,
    discover_budget: (n, i) => `¡Con gusto${n}! Para recomendarte la mejor opción${i}, ¿qué presupuesto tienes en mente?`,
    align_urgency: (n) => `Entiendo${n}. ¿Para qué fecha lo necesitarías? Así te reservo disponibilidad y precio.`,
    reach_decision_maker: (n) => `Por supuesto${n}. Puedo enviarte un resumen para compartirlo, o agendamos una llamada con quien decide.`,
    show_value: (n, i) => `Entiendo${n}. Te cuento todo lo que incluye${i} y las opciones de pago que tenemos.`,
    resolve_issue: (n) => `Lamento mucho lo ocurrido${n}. Ya estoy revisando tu caso y hoy mismo te confirmo la solución.`,
    nurture: (n) => `¡Gracias por escribirnos${n}! ¿En qué más te puedo ayudar?`,
    askEmail: () => '¿Me compartes tu correo electrónico para enviarte los detalles?',
    pricing: (_n, i) => `Te comparto los precios actualizados${i}.`,
    shipping: () => 'Reviso el estado de tu envío y te confirmo en unos minutos.',
    payment: () => 'Puedes pagar con tarjeta o transferencia, ¿cuál prefieres?',
    thanks: (n) => `¡Gracias${n}! Quedo atento a cualquier duda.`,
  },
  pt: {
    close: (n, i) => `Perfeito${n}! Envio agora o link de pagamento para confirmar seu pedido${i}.`,
    send_quote: (n, i) => `Claro${n}! Preparo o orçamento${i} e envio em alguns minutos.`,
    discover_budget: (n, i) => `Com prazer${n}! Para recomendar a melhor opção${i}, qual orçamento você tem em mente?`,
    align_urgency: (n) => `Entendo${n}. Para quando você precisaria? Assim reservo disponibilidade e preço.`,
    reach_decision_maker: (n) => `Claro${n}. Posso enviar um resumo para compartilhar, ou marcamos uma ligação com quem decide.`,
    show_value: (n, i) => `Entendo${n}. Conto tudo o que inclui${i} e as formas de pagamento que temos.`,
    resolve_issue: (n) => `Sinto muito pelo ocorrido${n}. Já estou verificando seu caso e hoje mesmo confirmo a solução.`,
    nurture: (n) => `Obrigado por escrever${n}! Em que mais posso ajudar?`,
    askEmail: () => 'Pode me passar seu e-mail para eu enviar os detalhes?',
    pricing: (_n, i) => `Compartilho os preços atualizados${i}.`,
    shipping: () => 'Vou verificar o status da sua entrega e confirmo em alguns minutos.',
    payment: () => 'Você pode pagar com cartão, Pix ou boleto. Qual prefere?',
    thanks: (n) => `Obrigado${n}! Fico à disposição para qualquer dúvida.`,
  },
  en: {
    close: (n, i) => `Perfect${n}! I'm sending you the payment link now to confirm your order${i}.`,
    send_quote: (n, i) => `Sure${n}! I'll put together the quote${i} and send it in a few minutes.`,
    discover_budget: (n, i) => `Happy to help${n}! To recommend the best option${i}, what budget do you have in mind?`,
    align_urgency: (n) => `I understand${n}. When would you need it? That way I can hold availability and price for you.`,
    reach_decision_maker: (n) => `Of course${n}. I can send a summary to share, or set up a call with whoever decides.`,
    show_value: (n, i) => `I understand${n}. Let me walk you through everything included${i} and our payment options.`,
    resolve_issue: (n) => `I'm really sorry about this${n}. I'm looking into your case now and will confirm a fix today.`,
    nurture: (n) => `Thanks for reaching out${n}! What else can I help you with?`,
    askEmail: () => 'Could you share your email so I can send you the details?',
    pricing: (_n, i) => `Here are our current prices${i}.`,
    shipping: () => "I'll check the status of your delivery and get back to you in a few minutes.",
    payment: () => 'You can pay by card or bank transfer. Which do you prefer?',
    thanks: (n) => `Thank you${n}! Let me know if you have any questions.`,
  },
};

const INTEREST_JOIN: Record<Language, string> = { es: ' de ', pt: ' de ', en: ' for ' };

const GREETING: Record<Language, (name: string) => string> = {
  es: (name) => `¡Hola${name ? ` ${name}` : ''}!`,
  pt: (name) => `Olá${name ? `, ${name}` : ''}!`,
  en: (name) => `Hi${name ? ` ${name}` : ''}!`,
};

/** The sentences of a knowledge chunk that answer `question` best (an FAQ answer is used whole). */
function answerFrom(hit: KnowledgeHit, question: string): string {
  if (hit.kind === 'faq') return hit.text;
  const wanted = new Set(fold(question).split(/[^a-z0-9]+/).filter((word) => word.length > 3).map((word) => word.slice(0, 5)));
  const sentences = hit.text.split(/(?<=[.!?])\s+/u);
  const scored = sentences.map((sentence, order) => ({
    sentence, order, score: fold(sentence).split(/[^a-z0-9]+/).filter((word) => wanted.has(word.slice(0, 5))).length,
  }));
  const best = [...scored].sort((a, b) => b.score - a.score || a.order - b.order).slice(0, 2).sort((a, b) => a.order - b.order);
  return best.map(({ sentence }) => sentence).join(' ');
}

/** A canned response with the customer's first name where it has a name placeholder. */
function fillCanned(body: string, firstName: string): string {
  return body
    .replace(/\{\{?\s*(?:name|nombre|nome|first_?name)\s*\}?\}/giu, firstName)
    .replace(/\s+([,.!?])/gu, '$1')
    .replace(/\s{2,}/gu, ' ')
    .trim();
}

/**
 * Replies grounded in what Charla found: the knowledge base's answer to the customer's question,
 * the workspace's matching canned responses (filled with the customer's name), then the reply
 * the recommendation calls for; each cites what it used.
 */
export function suggestFor(input: SuggestionInput): SuggestedReply[] {
  const analysis = input.analysis ?? analyzeConversation(input);
  const customer = input.messages.filter((line) => line.from === 'customer');
  const language = detectLanguage(customer.map((line) => line.body));
  const phrases = REPLIES[language];
  const first = (input.contact.name ?? analysis.lead.name?.value ?? '').split(/\s+/)[0] ?? '';
  const name = first ? `, ${first}` : '';
  const profile: ReplySource[] = first && input.contact.id && input.contact.name
    ? [{ kind: 'profile', id: input.contact.id, title: input.contact.name }]
    : [];
  const interestValue = analysis.lead.productInterest?.value ?? input.contact.attributes.productInterest ?? '';
  const interest = interestValue ? `${INTEREST_JOIN[language]}${interestValue}` : '';
  const recommendation = recommend({ ...analysis, urgency: analysis.lead.urgency?.value ?? null });
  const deal: ReplySource[] = input.deal ? [{ kind: 'deal', id: input.deal.id, title: input.deal.title }] : [];
  const candidates: SuggestedReply[] = [];
  const question = customer.slice(-2).map((line) => line.body).join('\n');
  const hit = input.grounding?.knowledge[0];
  if (hit) {
    candidates.push({
      text: `${GREETING[language](first)} ${answerFrom(hit, question)}`,
      sources: [{ kind: 'knowledge', id: hit.entryId, chunkId: hit.chunkId, title: hit.title }, ...profile],
    });
  }
  for (const canned of input.grounding?.canned.slice(0, 2) ?? []) {
    const named = /\{\{?\s*(?:name|nombre|nome|first_?name)\s*\}?\}/iu.test(canned.body);
    candidates.push({ text: fillCanned(canned.body, first), sources: [{ kind: 'canned', id: canned.id, title: canned.title }, ...(named ? profile : [])] });
  }
  const plain = (text: string, withDeal = false): SuggestedReply => ({ text, sources: [...(first ? profile : []), ...(withDeal ? deal : [])] });
  candidates.push(plain(phrases[recommendation](name, interest), recommendation === 'close' || recommendation === 'send_quote'));
  if (!input.contact.email && !analysis.lead.email) candidates.push(plain(phrases.askEmail(name, interest)));
  for (const topic of ['pricing', 'shipping', 'payment'] as const) {
    if (analysis.topics.includes(topic)) candidates.push(plain(phrases[topic](name, interest)));
  }
  candidates.push(plain(phrases.thanks(name, interest)), plain(phrases.nurture(name, interest)));
  const seen = new Set<string>();
  return candidates.filter((candidate) => candidate.text.length > 0 && !seen.has(candidate.text) && seen.add(candidate.text)).slice(0, input.count);
}

/** The offline provider (no network, no key): the default when `OPENAI_API_KEY` is not set. */
export class HeuristicProvider implements AiProvider {
  readonly name = 'heuristic';

  analyze(input: AnalysisInput): Promise<Analysis> {
    const { language: _language, ...analysis } = analyzeConversation(input);
    return Promise.resolve(analysis);
  }

  suggestReplies(input: SuggestionInput): Promise<SuggestedReply[]> {
    return Promise.resolve(suggestFor(input));
  }

  draftQuote(input: QuoteInput): Promise<QuoteLine[]> {
    return Promise.resolve(draftQuoteOffline(input));
  }

  draftFollowUp(input: FollowUpInput): Promise<string> {
    return Promise.resolve(draftFollowUpOffline(input));
  }
}
