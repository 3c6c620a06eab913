import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ContactKey } from '../contact-panel/contact.strings.js';
import type { InboxKey } from '../inbox/inbox.strings.js';
import type { ComposerKey } from '../thread/composer.strings.js';
import type { ConversationKey } from '../thread/conversation.strings.js';
import { commonStrings, type CommonKey } from './common.strings.js';
import { onStringsChange, pickLocale, sharedText, useStrings, type Locale } from './strings.js';

/** Keys of the shared strings; an element declares the groups it shows with `useStrings` (common ones are always there). */
export type StringKey = CommonKey | InboxKey | ConversationKey | ComposerKey | ContactKey;

useStrings(commonStrings);

type Host = ReactiveControllerHost & HTMLElement;

/** Intl formatters are costly to build: one per language and format, shared by every element. */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function formatter<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, create: () => T): T {
  let existing = formatters.get(key) as T | undefined;
  if (!existing) formatters.set(key, (existing = create()));
  return existing;
}

/** Where each common currency is at home: its amounts read best in that region's way of writing numbers. */
const CURRENCY_REGIONS: Record<string, string> = {
  MXN: 'MX', ARS: 'AR', COP: 'CO', CLP: 'CL', PEN: 'PE', UYU: 'UY', BRL: 'BR', USD: 'US', CAD: 'CA', GBP: 'GB',
};

/**
 * The locale an amount is written in: the element's language in the currency's home region when
 * the language names none ("es" + MXN → "es-MX", so "$7,020.00" rather than "7020,00 MXN").
 */
function moneyLocale(lang: string, currency: string): string {
  if (lang.includes('-')) return lang;
  const region = CURRENCY_REGIONS[currency] ?? (currency === 'EUR' ? { es: 'ES', pt: 'PT', en: 'IE' }[lang] : undefined);
  if (!region) return lang;
  try {
    return Intl.NumberFormat.supportedLocalesOf(`${lang}-${region}`).length > 0 ? `${lang}-${region}` : lang;
  } catch {
    return lang;
  }
}

/**
 * An amount in its currency ("$7,020.00 MXN", "R$ 800,00", "$1,500.00" for dollars in English);
 * `fractionDigits` caps the decimals (boards show whole units). A bare "$" is followed by the
 * code, since pesos and dollars share it. An unknown currency code falls back to the number and
 * the code.
 */
export function formatMoney(lang: string, currency: string, amount: number, fractionDigits?: number): string {
  const locale = moneyLocale(lang, currency);
  try {
    return formatter(`money:${locale}:${currency}:${fractionDigits ?? ''}`, () => {
      const options: Intl.NumberFormatOptions = { style: 'currency', currency, currencyDisplay: 'narrowSymbol' };
      if (fractionDigits !== undefined) options.maximumFractionDigits = fractionDigits;
      if (fractionDigits === 0) options.minimumFractionDigits = 0;
      const format = new Intl.NumberFormat(locale, options);
      const bareDollar = format.formatToParts(1).some((part) => part.type === 'currency' && part.value === '$');
      const sayCode = bareDollar && !(currency === 'USD' && /^en(-US)?$/.test(locale));
      return sayCode ? { format: (value: number) => `${format.format(value)} ${currency}` } as Intl.NumberFormat : format;
    }).format(amount);
  } catch {
    return `${formatter(`number:${locale}`, () => new Intl.NumberFormat(locale)).format(amount)} ${currency}`;
  }
}

const hosts = new Set<LocalizeController>();
let observer: MutationObserver | undefined;

const renderAll = () => hosts.forEach((controller) => controller.host.requestUpdate());

/**
 * Watches `<html lang>` so every localized element follows a page-wide language switch, and
 * renders them again when a language arrives or a host registers strings.
 */
function watchDocumentLang(): void {
  if (observer || typeof MutationObserver === 'undefined') return;
  observer = new MutationObserver(renderAll);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  onStringsChange(renderAll);
}

/**
 * Picks the element's language (its own `lang`, the nearest ancestor's across shadow roots, the
 * document's, then the browser's) and formats strings, times and numbers in it.
 */
export class LocalizeController implements ReactiveController {
  constructor(readonly host: Host) {
    host.addController(this);
  }

  hostConnected(): void {
    hosts.add(this);
    watchDocumentLang();
  }

  hostDisconnected(): void {
    hosts.delete(this);
  }

  #cached: Locale | undefined;

  /** Resolve the language once per render rather than once per string. */
  hostUpdate(): void {
    this.#cached = undefined;
    this.#cached = this.lang;
  }

  hostUpdated(): void {
    this.#cached = undefined;
  }

  get lang(): Locale {
    if (this.#cached) return this.#cached;
    let node: Node | null = this.host;
    while (node) {
      if (node instanceof HTMLElement && node.lang) return pickLocale(node.lang);
      node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
    }
    return pickLocale(document.documentElement.lang || navigator.language);
  }

  /** The string for `key`, with `{name}` placeholders filled from `values`. */
  t(key: StringKey, values: Record<string, string | number> = {}): string {
    return sharedText(this.lang, key, values);
  }

  time(iso: string): string {
    const lang = this.lang;
    return formatter(`time:${lang}`, () => new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' })).format(new Date(iso));
  }

  date(iso: string): string {
    const lang = this.lang;
    return formatter(`date:${lang}`, () => new Intl.DateTimeFormat(lang, { weekday: 'long', day: 'numeric', month: 'long' })).format(
      new Date(iso),
    );
  }

  /** An amount in its currency, e.g. "$1,500.00" or "R$ 320,00". */
  money(amount: number, currency: string): string {
    return formatMoney(this.lang, currency, amount);
  }

  /** A calendar date ("12 mar 2026"). */
  day(iso: string): string {
    const lang = this.lang;
    return formatter(`day:${lang}`, () => new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', year: 'numeric' })).format(new Date(iso));
  }

  /** "5 min", "3 h", "2 d": compact relative age for lists. */
  age(iso: string, now = Date.now()): string {
    const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
    const lang = this.lang;
    const format = (value: number, unit: 'minute' | 'hour' | 'day') =>
      formatter(`${unit}:${lang}`, () => new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short' })).format(value);
    if (minutes < 1) return this.t('time.now');
    if (minutes < 60) return format(minutes, 'minute');
    if (minutes < 60 * 24) return format(Math.round(minutes / 60), 'hour');
    return format(Math.round(minutes / 1440), 'day');
  }
}
