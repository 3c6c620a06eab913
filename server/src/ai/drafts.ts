/**
 * What the offline provider drafts for an agent to edit and send: a quote's lines from what the
 * customer asked for ("12 prensas francesas", "quiero una cafetera"), priced from the knowledge
 * base's price lists, and a re-engagement message for a conversation gone silent.
 */
import type { KnowledgeHit, QuoteLanguage, QuoteLine } from '@charla/protocol';
import { findAmounts } from './budget.js';
import { analyzeConversation, fold } from './heuristic.js';
import type { FollowUpInput, QuoteInput } from './provider.js';

const NUMBER_WORDS: Record<string, number> = {
  dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10, doce: 12, quince: 15, veinte: 20, cien: 100,
  dois: 2, duas: 2, quatro: 4, sete: 7, oito: 8, dez: 10, doze: 12, vinte: 20,
  two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12, twenty: 20, hundred: 100,
};
const ONE = ['un', 'una', 'uno', 'um', 'uma', 'a', 'an', 'one'];
/** "one" counts only after a verb of wanting: "una pregunta" alone is no order. */
const WANT = String.raw`(?:quiero|queremos|queria|quisiera|quisieramos|necesito|necesitamos|busco|buscamos|cotizar|cotizame|encargar|pedir|comprar|quero|preciso|precisamos|procuro|gostaria|need|want|would like|i'd like|looking for|buy|order)`;
const COUNT = String.raw`(?<count>\d{1,5}|${Object.keys(NUMBER_WORDS).join('|')}|docena|dozen)`;
const ITEM = new RegExp(
  String.raw`(?<![\p{L}\p{N}.,$])(?:${COUNT}|${WANT}\s+(?<one>${ONE.join('|')}))\s+(?:x\s+)?(?=(?<what>\p{L}[\p{L}'-]*(?:\s+[\p{L}\d][\p{L}\d'-]*){0,5}))`,
  'gu',
);
const WANT_WORD = new RegExp(String.raw`(?<![\p{L}])(?:${WANT}|interesa|interesan|interested)(?![\p{L}])`, 'u');

/** Where the product's name ends. */
const STOP = new Set(
  ('para por que y e con a al en o ou or and with to for but pero porque antes hasta ate este esta estos estas el la los las this that these '
  + 'cada each please favor urgente hoy manana today tomorrow semana semanas mes meses month months week weeks ya si se me mi su nos '
  + 'is are es son como mas more than ni nem sin sem mais se lo le les pra pro by until in on at from desde em na no').split(' '),
);
/** A count of these is not an order (people, time, sizes). */
const NOT_GOODS = /^(?:personas?|pessoas?|people|persons?|usuarios?|usuários?|users?|empleados?|funcionarios?|employees?|dias?|días|days?|semanas?|weeks?|meses|mes|months?|horas?|hours?|minutos?|minutes?|anos?|años?|years?|veces|vezes|times?|pm|am|hs|de|del|da|do|of|mil|k|pesos|reais|dolares|dólares|dollars|euros|usd|mxn|brl|preguntas?|perguntas?|questions?|cosas?|coisas?|things?|dudas?|duvidas?|dúvidas?|momento|minuto|favor|vez|poco|pouco|little|bit)$/iu;
/** Links a product's name to its second noun ("sillas de oficina"). */
const JOIN = new Set(['de', 'del', 'da', 'do', 'of']);

function countOf(text: string | undefined): number {
  if (!text) return 1;
  if (/^\d+$/.test(text)) return Number(text);
  if (text === 'docena' || text === 'dozen') return 12;
  return NUMBER_WORDS[text] ?? 1;
}

/** "prensas francesas para su cafetería" → "prensas francesas". */
function productName(words: string[]): string {
  const kept: string[] = [];
  for (const [index, word] of words.entries()) {
    const folded = fold(word);
    if (JOIN.has(folded)) {
      const next = words[index + 1];
      if (kept.length > 0 && next && !STOP.has(fold(next)) && !JOIN.has(fold(next))) {
        kept.push(word);
        continue;
      }
      break;
    }
    if (STOP.has(folded) || /^\d/.test(word)) break;
    kept.push(word);
    if (kept.length >= 4) break;
  }
  return kept.join(' ');
}

/** The first letters a product's words are matched on ("prensas" and "prensa" alike). */
const stemOf = (word: string) => fold(word).slice(0, Math.max(4, Math.min(6, word.length - 1)));

/** What the customer asked for, in order; a product asked for again takes its latest count (a correction). */
export function requestedItems(customerTexts: readonly string[], currency: string): Array<{ description: string; quantity: number }> {
  const items = new Map<string, { description: string; quantity: number }>();
  for (const original of customerTexts) {
    const text = original.normalize('NFC');
    const folded = fold(text);
    const money = findAmounts(text, currency).map((match) => [match.index, match.index + match.text.length] as const);
    // In a message that says what they want, the counts before it describe them ("tenemos 3
    // sucursales. Nos interesa comprar 150 tazas"): only the ones after it are ordered.
    const wantAt = WANT_WORD.exec(folded)?.index ?? 0;
    for (const match of folded.matchAll(ITEM)) {
      const groups = match.groups ?? {};
      if (match.index < wantAt) continue;
      // The product's words are looked ahead at, so the next item can start among them ("2 sillas y 3 mesas").
      const start = match.index + match[0].length;
      if (money.some(([from, to]) => match.index < to && from < start)) continue;
      const description = productName(text.slice(start, start + (groups.what?.length ?? 0)).split(/\s+/));
      const head = description.split(' ')[0] ?? '';
      if (!description || NOT_GOODS.test(head) || head.length < 3) continue;
      const quantity = groups.one ? 1 : countOf(groups.count);
      if (quantity <= 0 || quantity > 100_000) continue;
      const key = stemOf(head);
      items.delete(key);
      items.set(key, { description: description.charAt(0).toUpperCase() + description.slice(1), quantity });
    }
  }
  return [...items.values()];
}

/** The price of `description` in the knowledge chunks: the first amount on a line that names it. */
function priceOf(description: string, knowledge: readonly KnowledgeHit[], currency: string): Pick<QuoteLine, 'unitPrice' | 'source'> {
  const stems = description.split(/\s+/).filter((word) => !JOIN.has(fold(word)) && word.length >= 3).map(stemOf);
  if (stems.length === 0) return { unitPrice: null, source: null };
  let best: { unitPrice: number; source: QuoteLine['source']; matched: number } | null = null;
  for (const hit of knowledge) {
    // A price list's lines one by one (an FAQ answer prices what its question names).
    const lines = hit.text.split(/\n|(?<=[.!?;])\s+|\s+[·|•]\s+/u);
    const pieces = hit.kind === 'faq' ? [`${hit.title} ${hit.text}`, ...lines] : lines;
    for (const piece of pieces) {
      const words = fold(piece).split(/[^a-z0-9]+/);
      const matched = stems.filter((stem) => words.some((word) => word.startsWith(stem))).length;
      // The product's first word must be there (a "prensa" line prices prensas, not a "francesa" one).
      if (matched === 0 || !words.some((word) => word.startsWith(stems[0]!))) continue;
      const amount = findAmounts(piece, currency).find((found) => found.explicit);
      if (!amount || (best && best.matched >= matched)) continue;
      best = { unitPrice: amount.amount, source: { kind: 'knowledge', id: hit.entryId, chunkId: hit.chunkId, title: hit.title }, matched };
    }
  }
  return best ? { unitPrice: best.unitPrice, source: best.source } : { unitPrice: null, source: null };
}

/** The offline quote: each requested item priced from the knowledge base (else left for the agent); the product of interest when nothing was counted. */
export function draftQuoteOffline(input: QuoteInput): QuoteLine[] {
  const customer = input.messages.filter((line) => line.from === 'customer').map((line) => line.body);
  let items = requestedItems(customer, input.currency);
  if (items.length === 0) {
    const interest = input.contact.attributes.productInterest ?? analyzeConversation(input).lead.productInterest?.value;
    if (interest) items = [{ description: interest.charAt(0).toUpperCase() + interest.slice(1), quantity: 1 }];
  }
  return items.slice(0, 30).map((item) => ({ ...item, ...priceOf(item.description, input.knowledge, input.currency) }));
}

const FOLLOW_UPS: Record<QuoteLanguage, (name: string, about: string | null) => string> = {
  es: (name, about) =>
    `¡Hola${name ? ` ${name}` : ''}! Te escribo para retomar ${about ? `lo de ${about}` : 'lo que conversamos'}. ¿Sigue en pie? Si quieres, resuelvo tus dudas o te preparo la propuesta.`,
  pt: (name, about) =>
    `Olá${name ? `, ${name}` : ''}! Passando para retomar ${about ? `o assunto de ${about}` : 'o que conversamos'}. Ainda faz sentido para você? Posso tirar suas dúvidas ou preparar a proposta.`,
  en: (name, about) =>
    `Hi${name ? ` ${name}` : ''}! Just following up on ${about ?? 'our conversation'}. Is it still on your list? Happy to answer any questions or put the quote together.`,
};

/** The offline re-engagement message: the customer's first name and what they were interested in. */
export function draftFollowUpOffline(input: FollowUpInput): string {
  const analysis = analyzeConversation(input);
  const first = (input.contact.name ?? analysis.lead.name?.value ?? '').split(/\s+/)[0] ?? '';
  const about = input.contact.attributes.productInterest ?? analysis.lead.productInterest?.value ?? null;
  return FOLLOW_UPS[input.language](first, about);
}
