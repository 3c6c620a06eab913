/**
 * The offline provider: every AI job for Spanish, Portuguese and English without a model.
 * Contact data comes from regular expressions and libphonenumber-js (a value is taken only when
 * it is really there: nothing is invented); intent, urgency, sentiment and topics from keyword
 * lexicons; the summary is extractive (the customer's most informative sentences, in order).
 */
import {
  type Analysis, type ExtractedValue, type Intent, type Lead, type Objection, type Recommendation, type Sentiment,
  type SentimentTrend, type Topic, TOPICS,
} from '@charla/protocol';
import { findPhoneNumbersInText, isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import type { AiProvider, AnalysisInput, ConversationLine, SuggestionInput } from './provider.js';
import { recommend } from './qualification.js';

export type Language = 'es' | 'pt' | 'en';

/** Lower case without accents, so lexicons match "así", "asi" and "ASÍ" alike. */
const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** A regex of whole words or phrases (written folded) matching folded text. */
const words = (...phrases: string[]) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${phrases.join('|')})(?![\\p{L}\\p{N}])`, 'u');

const STOPWORDS: Record<Language, Set<string>> = {
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

const POSITIVE = words(
  'gracias', 'genial', 'excelente', 'perfecto', 'me encanta', 'buenisimo', 'increible', 'muy bien', 'feliz', 'contento', 'contenta', 'de acuerdo',
  'obrigad[oa]', 'otimo', 'perfeito', 'adorei', 'maravilhoso', 'muito bom', 'legal',
  'thanks', 'thank you', 'great', 'perfect', 'love it', 'awesome', 'amazing', 'happy', 'appreciate', 'wonderful',
);
const NEGATIVE = words(
  'malo', 'mala', 'pesimo', 'pesima', 'terrible', 'horrible', 'molest[oa]', 'enojad[oa]', 'decepcionad[oa]', 'no funciona', 'queja', 'reclamo',
  'no (?:me )?ha llegado', 'no llego', 'nunca llego', 'estafa', 'fatal', 'hart[oa]', 'indignad[oa]',
  'ruim', 'pessim[oa]', 'horrivel', 'terrivel', 'chatead[oa]', 'nao funciona', 'reclamacao', 'nao chegou', 'nunca chegou', 'golpe', 'absurdo',
  'awful', 'angry', 'upset', 'disappointed', 'not working', "doesn'?t work", 'broken', 'complaint', 'never arrived', "hasn'?t arrived", 'scam', 'worst',
  'frustrated', 'unacceptable',
);

const TOPIC_WORDS: Record<Topic, RegExp> = {
  pricing: words('precio', 'precios', 'cuanto cuesta', 'cuanto sale', 'costo', 'cotizacion', 'cotizar', 'tarifa', 'preco', 'precos', 'quanto custa', 'orcamento', 'valor', 'price', 'prices', 'pricing', 'how much', 'cost', 'quote'),
  payment: words('pago', 'pagar', 'tarjeta', 'transferencia', 'factura', 'pagamento', 'pagar', 'boleto', 'pix', 'cartao', 'payment', 'pay', 'card', 'invoice', 'paypal', 'link de pago', 'meses sin intereses', 'parcelas?'),
  support: words('ayuda', 'problema', 'error', 'no funciona', 'soporte', 'falla', 'ajuda', 'suporte', 'nao funciona', 'defeito', 'help', 'problem', 'issue', 'not working', 'support', 'bug'),
  complaint: words(
    'queja', 'reclamo', 'reembolso', 'devolucion', 'devolver', 'pesimo', 'estafa', 'nunca llego', 'no (?:me )?ha llegado', 'terrible', 'horrible',
    'reclamacao', 'devolucao', 'pessimo', 'nunca chegou', 'nao chegou', 'horrivel', 'complaint', 'refund', 'return it', 'worst', 'unacceptable', 'scam',
    'never arrived', "hasn'?t arrived", 'awful',
  ),
  shipping: words('envio', 'entrega', 'llega', 'paqueteria', 'rastreo', 'frete', 'entrega', 'chega', 'rastreio', 'correios', 'shipping', 'delivery', 'deliver', 'tracking', 'ship'),
  order: words('pedido', 'orden', 'compra', 'order', 'purchase', 'encomenda'),
  scheduling: words('cita', 'agendar', 'agenda', 'reunion', 'llamada', 'demo', 'reuniao', 'ligacao', 'horario', 'appointment', 'meeting', 'call', 'schedule', 'book'),
  product: words('producto', 'modelo', 'plan', 'servicio', 'catalogo', 'produto', 'servico', 'catalogo', 'product', 'model', 'service', 'catalog', 'stock', 'disponible', 'disponivel', 'available'),
};

const HIGH_URGENCY = words(
  'urgente', 'urgentemente', 'cuanto antes', 'lo antes posible', 'lo mas pronto posible', 'hoy mismo', 'de inmediato', 'ya mismo', 'para hoy',
  'o quanto antes', 'o mais rapido possivel', 'imediatamente', 'hoje mesmo', 'para hoje', 'urgent', 'urgently', 'asap', 'right away', 'immediately',
  'as soon as possible', 'today',
);
const TIMELINE = new RegExp(
  '(?<![\\p{L}])(?:hoy|manana|pasado manana|esta semana|la (?:proxima|otra) semana|la semana que viene|este mes|el (?:proximo|otro) mes|el mes que viene|fin de mes|'
  + '(?:antes del?|para el|el) (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)|en \\d+ (?:dias|semanas|meses)|'
  + 'hoje|amanha|nesta semana|semana que vem|proxima semana|este mes|mes que vem|proximo mes|ate (?:segunda|terca|quarta|quinta|sexta|sabado|domingo)|em \\d+ (?:dias|semanas|meses)|'
  + 'today|tomorrow|this week|next week|this month|next month|by (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the end of the month)|'
  + '(?:with)?in \\d+ (?:days|weeks|months)|end of the month)(?![\\p{L}])',
  'u',
);
const BUY = words(
  'quiero comprar(?:lo|la)?', 'lo quiero', 'la quiero', 'me lo llevo', 'como (?:pago|puedo pagar)', 'donde pago', 'link de pago', 'apartar(?:lo)?', 'reservar(?:lo)?',
  'cerrar (?:el )?trato', 'contratar(?:lo)?', 'quero comprar', 'vou levar', 'como (?:faco para )?pag(?:o|ar)', 'link de pagamento', 'fechar (?:o )?pedido',
  'i want to buy', "i'?ll take it", 'how (?:do|can) i pay', 'payment link', 'ready to (?:buy|order)', "let'?s do it", 'sign me up', 'place (?:an|the) order',
);
const OBJECTION_WORDS: Record<Objection, RegExp> = {
  price: words('caro', 'muy caro', 'costoso', 'descuento', 'mas barato', 'muito caro', 'desconto', 'mais barato', 'expensive', 'too much', 'pricey', 'discount', 'cheaper'),
  timing: words(
    'mas adelante', 'ahora no', 'por ahora no', 'todavia no', 'el proximo ano', 'el ano que viene', 'no es el momento', 'mais tarde', 'agora nao', 'ainda nao',
    'ano que vem', 'nao e o momento', 'not now', 'later on', 'maybe later', 'next year', 'not yet', 'not the right time',
  ),
  authority: words(
    'consultar(?:lo)? con mi (?:jefe|jefa|socio|socia|esposa|esposo|equipo)', 'tengo que preguntar', 'lo tengo que ver con', 'falar com (?:meu|minha) (?:chefe|socio|socia|esposa|marido)',
    'preciso consultar', 'check with my (?:boss|manager|partner|team|wife|husband)', 'need (?:approval|to ask)', 'run it by',
  ),
  need: words('ya tengo', 'no (?:lo )?necesito', 'ja tenho', 'nao preciso', 'already have', "don'?t need"),
};
const AUTHORITY = words(
  'soy (?:el|la) (?:duen[oa]|gerente|director|directora|encargad[oa]|responsable)', 'yo decido', 'decido yo', 'sou (?:o|a) (?:don[oa]|gerente|diretor|diretora|responsavel)',
  'eu decido', "i'?m the (?:owner|manager|director|ceo|founder)", 'i am the (?:owner|manager|director|ceo|founder)', 'i make the decisions?', 'i decide',
);
const NEED = words('necesito', 'necesitamos', 'busco', 'buscamos', 'preciso', 'precisamos', 'procuro', 'we need', 'i need', 'looking for');
const BUDGET_CUE = words('presupuesto', 'hasta', 'maximo', 'alrededor de', 'unos', 'cerca de', 'gastar', 'invertir', 'orcamento', 'ate', 'investir', 'budget', 'up to', 'around', 'spend', 'max', 'about');

// Capitalized words (names, companies) are read from the original text, accents kept.
const UPPER = 'A-ZÁÉÍÓÚÑÂÊÔÃÕÇÜ';
const LOWER = 'a-záéíóúñâêôãõçü';
const PERSON = `([${UPPER}][${LOWER}]+(?:\\s+(?:de\\s+|da\\s+|dos\\s+)?[${UPPER}][${LOWER}]+){0,2})`;
const NAME_PATTERNS: Array<[RegExp, number]> = [
  [new RegExp(`(?:[Mm]e llamo|[Mm]i nombre es|[Mm]y name is|[Mm]eu nome é|[Mm]eu nome e|[Mm]e chamo)\\s+${PERSON}`, 'u'), 0.9],
  [new RegExp(`(?:^|[,.!¡]\\s*|\\s)(?:[Ss]oy|I'm|I am|[Ss]ou (?:o|a)|[Aa]qui é|[Tt]his is|[Hh]abla)\\s+${PERSON}`, 'u'), 0.6],
];
const NOT_NAMES = new Set(['Hola', 'Buenas', 'Buenos', 'Gracias', 'Olá', 'Oi', 'Bom', 'Boa', 'Hello', 'Hi', 'Interested', 'Interesado', 'Interesada', 'Cliente', 'Customer']);
const COMPANY = new RegExp(
  `(?:[Tt]rabajo en|[Tt]rabajamos en|[Dd]e la empresa|[Mm]i empresa(?: es| se llama)?|[Nn]uestra empresa(?: es| se llama)?|[Tt]rabalho na|[Tt]rabalho no|[Dd]a empresa|[Mm]inha empresa(?: é| se chama)?|`
  + `I work (?:at|for)|[Ww]e are|[Oo]ur company(?: is)?|[Mm]y company(?: is)?|[Ff]rom the company)\\s+([${UPPER}0-9][\\p{L}0-9&.'-]*(?:\\s+[${UPPER}0-9&][\\p{L}0-9&.'-]*){0,3})`,
  'u',
);
const INTEREST = new RegExp(
  '(?:interesad[oa]s? en|me interesan?|quiero (?:comprar|cotizar)|quisiera (?:comprar|cotizar|informacion (?:de|sobre))|cotizacion (?:de|para)|precio de(?:l)?|'
  + 'interessad[oa]s? (?:em|no|na|nos|nas)|quero comprar|gostaria de comprar|orcamento (?:de|para)|preco d[oa]s?|'
  + 'interested in|looking for|i want to buy|i\'?d like to buy|quote for|price of|pricing for)\\s+([^.,;!?\\n]{2,80})',
  'u',
);
const FILLER = /\s+(?:por favor|please|para (?:mi|mí|minha|meu)|for (?:my|our)|que|que tienen|hoy|today|hoje)\b.*$/iu;
const ARTICLE = /^(?:el|la|los|las|un|una|unos|unas|o|a|os|as|um|uma|the|an?)\s+/iu;
// Bounded parts, starting where a run of address characters starts: unbounded runs rescanned a
// long text from every position (quadratic; seconds for one 65,536-character message).
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,251}\.[A-Za-z]{2,63}/g;
const emailSchema = z.email();
const MONEY = new RegExp(
  '(?:US\\$|R\\$|\\$|€|£)\\s?\\d{1,3}(?:[.,\\s]\\d{3})*(?:[.,]\\d{1,2})?(?:\\s?(?:k|mil)\\b)?(?:\\s?(?:usd|mxn|brl|eur|ars|cop|clp)\\b)?'
  + '|(?<!\\d)\\d{1,15}(?:[.,]\\d{1,15})?\\s?(?:k|mil)?\\s?(?:usd|mxn|brl|eur|ars|cop|clp|dolares|dólares|dollars|pesos|reais|euros)\\b',
  'iu',
);

const DEFAULT_COUNTRY: Record<Language, CountryCode> = { es: 'MX', pt: 'BR', en: 'US' };

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

function matchIn(line: ConversationLine, pattern: RegExp): RegExpExecArray | null {
  return pattern.exec(fold(line.body));
}

/** The country national numbers are read in: the one Charla gives, else the contact's number's, else the language's. */
function readingCountry(input: AnalysisInput, language: Language): CountryCode {
  if (input.phoneCountry && isSupportedCountry(input.phoneCountry)) return input.phoneCountry;
  return (input.contact.phone && parsePhoneNumberFromString(input.contact.phone)?.country) || DEFAULT_COUNTRY[language];
}

export function extractLead(customer: readonly ConversationLine[], country: CountryCode): Lead {
  const email = newest(customer, (line) => {
    const candidates = (line.body.match(EMAIL) ?? []).map((text) => text.replace(/\.+$/, ''));
    const valid = candidates.find((text) => emailSchema.safeParse(text).success);
    return valid ? found(valid.toLowerCase(), line, 0.95) : null;
  });
  const phone = newest(customer, (line) => {
    const numbers = findPhoneNumbersInText(line.body, { defaultCountry: country })
      .map((match) => match.number)
      .filter((number) => number.isValid());
    const number = numbers[0];
    return number ? found(number.number, line, line.body.includes('+') ? 0.95 : 0.85) : null;
  });
  const name = newest(customer, (line) => {
    for (const [pattern, confidence] of NAME_PATTERNS) {
      const match = pattern.exec(line.body);
      const candidate = match?.[1]?.trim();
      if (candidate && !NOT_NAMES.has(candidate.split(/\s+/)[0]!)) return found(candidate, line, confidence);
    }
    return null;
  });
  const company = newest(customer, (line) => {
    const candidate = COMPANY.exec(line.body)?.[1]?.split(/[.,;!?]\s/u)[0]?.replace(/[.'-]+$/, '');
    return candidate && candidate.length > 1 ? found(candidate, line, 0.8) : null;
  });
  const productInterest = newest(customer, (line) => {
    const match = matchIn(line, INTEREST);
    if (!match) return null;
    // Read the same span from the original text (accents and case kept).
    const start = match.index + match[0].length - match[1]!.length;
    const original = line.body.normalize('NFC').slice(start, start + match[1]!.length);
    const phrase = original.replace(FILLER, '').replace(ARTICLE, '').split(/\s+/).slice(0, 6).join(' ');
    return phrase.length > 1 ? found(phrase, line, 0.75) : null;
  });
  const budget = newest(customer, (line) => {
    const match = MONEY.exec(line.body);
    if (!match) return null;
    return found(match[0], line, BUDGET_CUE.test(fold(line.body)) ? 0.8 : 0.6);
  });
  const timeline = newest(customer, (line) => {
    const match = matchIn(line, TIMELINE);
    return match ? found(match[0], line, 0.7) : null;
  });
  const urgentLine = newest(customer, (line) => (HIGH_URGENCY.test(fold(line.body)) ? found('high', line, 0.8) : null));
  const urgency = urgentLine ?? (timeline ? { ...timeline, value: 'medium', confidence: 0.6 } : null);
  return { name, email, phone, company, productInterest, budget, timeline, urgency };
}

function sentimentOf(line: ConversationLine): number {
  const text = fold(line.body);
  const count = (pattern: RegExp) => (text.match(new RegExp(pattern.source, 'gu')) ?? []).length;
  return count(POSITIVE) - count(NEGATIVE) * 1.5;
}

function sentiment(customer: readonly ConversationLine[]): { sentiment: Sentiment; trend: SentimentTrend } {
  const scores = customer.map(sentimentOf);
  const recent = scores.slice(-3).reduce((sum, score) => sum + score, 0);
  const label: Sentiment = recent > 0 ? 'positive' : recent < 0 ? 'negative' : 'neutral';
  if (scores.length < 2) return { sentiment: label, trend: 'steady' };
  const half = Math.floor(scores.length / 2);
  const average = (values: number[]) => values.reduce((sum, score) => sum + score, 0) / Math.max(1, values.length);
  const change = average(scores.slice(half)) - average(scores.slice(0, half));
  return { sentiment: label, trend: change > 0.4 ? 'improving' : change < -0.4 ? 'worsening' : 'steady' };
}

function sentencesOf(line: ConversationLine): string[] {
  return line.body.split(/(?<=[.!?¡¿])\s+|\n+/u).map((sentence) => sentence.trim()).filter((sentence) => sentence.length > 0);
}

/** The customer's most informative sentences (contact data, topics, questions), in their order. */
function summarize(customer: readonly ConversationLine[], lead: Lead): string {
  const values = Object.values(lead).filter((value): value is ExtractedValue => value !== null).map((value) => fold(value.value));
  const scored = customer.flatMap(sentencesOf).map((sentence, order) => {
    const text = fold(sentence);
    let score = 0;
    for (const value of values) if (value.length > 2 && text.includes(value)) score += 3;
    for (const topic of TOPICS) if (TOPIC_WORDS[topic].test(text)) score += 2;
    if (BUY.test(text) || NEED.test(text)) score += 2;
    if (sentence.includes('?')) score += 1;
    if (sentence.split(/\s+/).length < 4) score -= 2;
    return { sentence, order, score };
  });
  const best = [...scored].sort((a, b) => b.score - a.score || a.order - b.order).slice(0, 3).sort((a, b) => a.order - b.order);
  const summary = best.map(({ sentence }) => (/[.!?]$/.test(sentence) ? sentence : `${sentence}.`)).join(' ');
  return summary.length > 400 ? `${summary.slice(0, 399)}…` : summary;
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

export interface HeuristicAnalysis extends Analysis {
  language: Language;
}

/**
 * How much of each message the heuristics read: people state who they are, what they want and
 * their budget up front, and libphonenumber-js's scan of a text grows faster than its length.
 */
const READ_CHARS = 1000;

export function analyzeConversation(input: AnalysisInput): HeuristicAnalysis {
  const customer = input.messages
    .filter((line) => line.from === 'customer' && line.body.trim().length > 0)
    .map((line) => (line.body.length > READ_CHARS ? { ...line, body: line.body.slice(0, READ_CHARS) } : line));
  const language = detectLanguage(customer.map((line) => line.body));
  const lead = extractLead(customer, readingCountry(input, language));
  const all = fold(customer.map((line) => line.body).join('\n'));
  const topics = TOPICS.filter((topic) => TOPIC_WORDS[topic].test(all));
  const objections = (Object.keys(OBJECTION_WORDS) as Objection[]).filter((objection) => OBJECTION_WORDS[objection].test(all));
  const buying = BUY.test(all);
  const intent: Intent = buying || (lead.budget && lead.timeline && lead.productInterest)
    ? 'high'
    : topics.includes('pricing') || lead.productInterest || topics.includes('payment') ? 'medium' : 'low';
  const authority = newest(customer, (line) => {
    const match = matchIn(line, AUTHORITY) ?? matchIn(line, OBJECTION_WORDS.authority);
    return match ? found(match[0], line, 0.7) : null;
  });
  const need = lead.productInterest ?? newest(customer, (line) => {
    const sentence = sentencesOf(line).find((text) => NEED.test(fold(text)));
    return sentence ? found(sentence.slice(0, 200), line, 0.6) : null;
  });
  const bant = { budget: lead.budget, authority, need, timing: lead.timeline };
  const mood = sentiment(customer);
  const recommendation = recommend({ intent, objections, topics, sentiment: mood.sentiment, bant, urgency: lead.urgency?.value ?? null });
  return {
    language,
    lead,
    summary: summarize(customer, lead),
    sentiment: mood.sentiment,
    sentimentTrend: mood.trend,
    topics,
    nextAction: NEXT_ACTIONS[language][recommendation],
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

export function suggestFor(input: SuggestionInput): string[] {
  const analysis = input.analysis ?? analyzeConversation(input);
  const customer = input.messages.filter((line) => line.from === 'customer');
  const language = detectLanguage(customer.map((line) => line.body));
  const phrases = REPLIES[language];
  const first = (input.contact.name ?? analysis.lead.name?.value ?? '').split(/\s+/)[0] ?? '';
  const name = first ? `, ${first}` : '';
  const interestValue = analysis.lead.productInterest?.value ?? input.contact.attributes.productInterest ?? '';
  const interest = interestValue ? `${INTEREST_JOIN[language]}${interestValue}` : '';
  const recommendation = recommend({ ...analysis, urgency: analysis.lead.urgency?.value ?? null });
  const candidates = [phrases[recommendation](name, interest)];
  if (!input.contact.email && !analysis.lead.email) candidates.push(phrases.askEmail(name, interest));
  for (const topic of ['pricing', 'shipping', 'payment'] as const) {
    if (analysis.topics.includes(topic)) candidates.push(phrases[topic](name, interest));
  }
  candidates.push(phrases.thanks(name, interest), phrases.nurture(name, interest));
  return [...new Set(candidates)].slice(0, input.count);
}

/** The offline provider (no network, no key): the default when `OPENAI_API_KEY` is not set. */
export class HeuristicProvider implements AiProvider {
  readonly name = 'heuristic';

  analyze(input: AnalysisInput): Promise<Analysis> {
    const { language: _language, ...analysis } = analyzeConversation(input);
    return Promise.resolve(analysis);
  }

  suggestReplies(input: SuggestionInput): Promise<string[]> {
    return Promise.resolve(suggestFor(input));
  }
}
