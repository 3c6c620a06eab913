import { formatMoney } from '../i18n/localize-controller.js';

/** Number formatting of the dashboard: Intl formatters are costly to build, so each is built once per language and options. */

const formats = new Map<string, Intl.NumberFormat>();

export function numberFormat(lang: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${lang}:${JSON.stringify(options)}`;
  let found = formats.get(key);
  if (!found) {
    try {
      found = new Intl.NumberFormat(lang, options);
    } catch {
      found = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
    }
    formats.set(key, found);
  }
  return found;
}

/** A whole amount in its currency ("MX$250,000"): the views' one money formatter, without cents. */
export const moneyText = (lang: string, currency: string, amount: number) => formatMoney(lang, currency, amount, 0);

/** A 0–1 share as a whole percent. */
export const percent = (lang: string, ratio: number) => numberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(ratio);

export type DurationUnit = 'daysShort' | 'hours' | 'minutes' | 'seconds';

/**
 * A duration in the two largest units that matter, rounded to the smaller one: 45 s, 4 min,
 * 2 h 10 min, 3 d 4 h (a clock of hours does not need its seconds).
 */
export function durationParts(seconds: number): Array<[DurationUnit, number]> {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return [['seconds', whole]];
  const minutes = Math.round(whole / 60);
  if (minutes < 60) return [['minutes', minutes]];
  if (minutes < 24 * 60) {
    const rest = minutes % 60;
    return rest ? [['hours', Math.floor(minutes / 60)], ['minutes', rest]] : [['hours', minutes / 60]];
  }
  const hours = Math.round(minutes / 60);
  const rest = hours % 24;
  return rest ? [['daysShort', Math.floor(hours / 24)], ['hours', rest]] : [['daysShort', hours / 24]];
}
