/**
 * The amount a budget the customer wrote stands for ("$15,000 MXN", "R$ 2.500", "20 mil pesos",
 * "5k usd"), so a qualified lead's deal starts with a value instead of 0.
 */
const CODES = ['usd', 'mxn', 'brl', 'eur', 'ars', 'cop', 'clp', 'gbp'] as const;
const WORDS: Record<string, string> = { dolares: 'USD', dólares: 'USD', dollars: 'USD', reais: 'BRL', euros: 'EUR' };
const SYMBOLS: Array<[string, string]> = [['US$', 'USD'], ['R$', 'BRL'], ['€', 'EUR'], ['£', 'GBP']];

/** "15.000,50" / "15,000.50" / "2.500" / "1,5" → the number, reading separators as people write them. */
function numberOf(digits: string): number | null {
  const separators = [...digits.matchAll(/[.,\s]/g)].map((m) => m.index);
  if (separators.length === 0) return Number(digits);
  const last = separators.at(-1)!;
  const tail = digits.length - last - 1;
  const decimal = tail > 0 && tail <= 2 && (separators.length === 1 || digits[last] !== digits[separators[0]!]);
  const whole = (decimal ? digits.slice(0, last) : digits).replace(/[.,\s]/g, '');
  const value = Number(decimal ? `${whole}.${digits.slice(last + 1)}` : whole);
  return Number.isFinite(value) ? value : null;
}

/** The amount and currency; a bare `$` or "pesos" is read in `localCurrency` (the pipeline's). */
export function budgetAmount(text: string, localCurrency: string): { amount: number; currency: string } | null {
  const lower = text.toLowerCase();
  const match = /(\d[\d.,\s]*\d|\d)\s*(k|mil)?\b/u.exec(lower);
  if (!match) return null;
  const base = numberOf(match[1]!.trim());
  if (base === null || base <= 0) return null;
  const amount = Math.round(base * (match[2] ? 1000 : 1) * 100) / 100;
  const code = CODES.find((candidate) => new RegExp(`\\b${candidate}\\b`, 'u').test(lower));
  const word = Object.keys(WORDS).find((candidate) => lower.includes(candidate));
  const symbol = SYMBOLS.find(([sign]) => text.includes(sign));
  const currency = code?.toUpperCase() ?? (word ? WORDS[word] : undefined) ?? symbol?.[1] ?? localCurrency;
  return amount > 0 && amount < 1e12 ? { amount, currency } : null;
}
