/**
 * Amounts as people write them in a chat: "$15,000 MXN", "20 mil pesos", "5k usd", "R$ 400.000",
 * "1.500 €", "5 millones de pesos", "12k". One reader for the offline provider (which finds a
 * budget in a message and stores it as "20,000 MXN"), for the amount of a qualified lead's deal
 * (whatever provider wrote the budget) and for scoring providers against the labelled corpus.
 */

export interface Amount {
  amount: number;
  /** ISO 4217. */
  currency: string;
}

/** Lower case without accents. */
const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

const PESO_CURRENCIES = new Set(['MXN', 'ARS', 'COP', 'CLP', 'UYU']);
/** Currencies written with a bare "$". */
const DOLLAR_SIGN_CURRENCIES = new Set([...PESO_CURRENCIES, 'USD', 'CAD', 'AUD', 'NZD']);

const SYMBOL = String.raw`(?<symbol>us\$|u\$s|r\$|s\/|\$|€|£)`;
const NUMBER = String.raw`(?<number>\d{1,3}(?:[.,\s]\d{3})+(?:[.,]\d{1,2})?|\d{1,12}(?:[.,]\d{1,2})?)`;
// Slang too: "150 lucas" (thousands, Argentina, Chile), "2 palos" (millions, Argentina, Colombia).
const MULTIPLIER = String.raw`(?<multiplier>k|mil|millones|millon|milhoes|milhao|million|millions|thousand|grand|lucas|luca|lukas|palos|palo)`;
// Slang too: "200 pavos" (euros, Spain), "5 mil verdes" (dollars, Argentina).
const CODE = String.raw`(?<code>usd|mxn|brl|eur|ars|cop|clp|gbp|pen|dolares|dollars|dolar|dollar|bucks|pesos|reais|real|euros|euro|pavos|verdes|soles|€|£)`;
// Hundreds said after "mil": "6 mil quinientos", "mil quinientos soles".
const HUNDREDS = String.raw`(?<hundreds>\s(?:y\s)?(?:cien|ciento|doscientos|trescientos|cuatrocientos|quinientos|seiscientos|setecientos|ochocientos|novecientos))`;
const HUNDRED_VALUES: Record<string, number> = {
  cien: 100, ciento: 100, doscientos: 200, trescientos: 300, cuatrocientos: 400, quinientos: 500, seiscientos: 600, setecientos: 700, ochocientos: 800, novecientos: 900,
};
// Every part optional here; an amount needs a symbol, a currency word or a multiplier (a bare
// "20 mil" in a budget sentence is money, a bare "20" is not): checked on each match.
const AMOUNT = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:${SYMBOL}\s?)?(?:${NUMBER}|(?=mil\s))(?:\s?${MULTIPLIER})?${HUNDREDS}?(?:\s?(?:de\s)?${CODE})?(?![\p{L}\p{N}])`,
  'gu',
);

const MULTIPLIERS: Record<string, number> = {
  k: 1e3, mil: 1e3, thousand: 1e3, grand: 1e3, millones: 1e6, millon: 1e6, milhoes: 1e6, milhao: 1e6, million: 1e6, millions: 1e6,
  lucas: 1e3, luca: 1e3, lukas: 1e3, palos: 1e6, palo: 1e6,
};
const CODES: Record<string, string | null> = {
  usd: 'USD', dolares: 'USD', dollars: 'USD', dolar: 'USD', dollar: 'USD', bucks: 'USD', mxn: 'MXN', brl: 'BRL', reais: 'BRL', real: 'BRL',
  eur: 'EUR', euros: 'EUR', euro: 'EUR', pavos: 'EUR', verdes: 'USD', '€': 'EUR', ars: 'ARS', cop: 'COP', clp: 'CLP', gbp: 'GBP', '£': 'GBP', pesos: null,
  pen: 'PEN', soles: 'PEN',
};
const SYMBOLS: Record<string, string | null> = { 'us$': 'USD', 'u$s': 'USD', 'r$': 'BRL', 's/': 'PEN', '€': 'EUR', '£': 'GBP', $: null };

const QUANTITY_AFTER = /^\s*(?:btus?|kg|kgs|kilos?|kilogramos?|gramos|toneladas|metros?|m2|m²|m3|m³|litros?|galones|unidades|piezas|pares|personas|usuarios|seguidores|km|cajas|bultos|sacos|units|pieces|pounds|lbs|followers|users|people)(?![\p{L}\p{N}])/iu;

/** "15,000" "15.000" "1.500,50" "1,500.50" "8 000" → a number. */
function readNumber(text: string): number {
  const compact = text.replace(/\s/g, '');
  const last = Math.max(compact.lastIndexOf('.'), compact.lastIndexOf(','));
  if (last === -1) return Number(compact);
  const decimals = compact.length - last - 1;
  // A last separator followed by exactly three digits groups thousands ("15.000", "1,500").
  if (decimals === 3) return Number(compact.replace(/[.,]/g, ''));
  return Number(`${compact.slice(0, last).replace(/[.,]/g, '')}.${compact.slice(last + 1)}`);
}

export interface AmountMatch extends Amount {
  /** The text as written. */
  text: string;
  index: number;
  /** A currency symbol, code or word was written (not only a multiplier). */
  explicit: boolean;
}

/**
 * Every amount in `text`. `local` is the currency of the place (the workspace's, the pipeline's):
 * it says what a bare "$" and "pesos" mean, and is the currency of "20 mil" or "12k" written alone.
 */
export function findAmounts(text: string, local: string): AmountMatch[] {
  const original = text.normalize('NFC');
  const matches: AmountMatch[] = [];
  // Folding keeps NFC's length (one letter per accented letter), so indexes hold in both.
  for (const match of fold(original).matchAll(AMOUNT)) {
    const groups = match.groups ?? {};
    if (!groups.symbol && !groups.code && !groups.multiplier) continue;
    if (groups.hundreds && groups.multiplier !== 'mil') continue;
    // A lone "mil" is money only with hundreds or a currency ("mil quinientos", "mil pesos"; not "mil gracias").
    if (groups.number === undefined && !groups.hundreds && !groups.code && !groups.symbol) continue;
    // "mil" alone is a thousand.
    const number = groups.number === undefined ? 1 : readNumber(groups.number);
    if (!Number.isFinite(number) || number <= 0) continue;
    const hundreds = groups.hundreds ? HUNDRED_VALUES[groups.hundreds.trim().replace(/^y\s/, '')]! : 0;
    const amount = Math.round((number * (groups.multiplier ? MULTIPLIERS[groups.multiplier]! : 1) + hundreds) * 100) / 100;
    const currency = (groups.code ? CODES[groups.code] : null)
      ?? (groups.symbol ? SYMBOLS[groups.symbol] : null)
      ?? (groups.code === 'pesos' ? (PESO_CURRENCIES.has(local) ? local : 'MXN') : null)
      ?? (groups.symbol === '$' ? (DOLLAR_SIGN_CURRENCIES.has(local) ? local : 'USD') : local);
    if (amount >= 1e12) continue;
    // "12 mil btus", "20 mil kilos": a quantity, not money.
    if (!groups.code && !groups.symbol && QUANTITY_AFTER.test(original.slice(match.index + match[0].length))) continue;
    matches.push({
      amount, currency, text: original.slice(match.index, match.index + match[0].length), index: match.index, explicit: Boolean(groups.code || groups.symbol),
    });
  }
  return matches;
}

/**
 * The amount a budget stands for: the first amount written, else a bare number ("15000" from a
 * model) in the `local` currency.
 */
export function budgetAmount(text: string, local: string): Amount | null {
  const [first] = findAmounts(text, local);
  if (first) return { amount: first.amount, currency: first.currency };
  const bare = /(?<![\p{L}\p{N}])\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d{1,12}(?:[.,]\d{1,2})?/u.exec(text);
  const amount = bare ? readNumber(bare[0]) : NaN;
  return Number.isFinite(amount) && amount > 0 ? { amount, currency: local } : null;
}
