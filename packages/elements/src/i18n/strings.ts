/**
 * Charla's strings: each element imports only its own, in the default language (English); the
 * other languages are loaded the first time an element needs them (`import()` per element and
 * language, so a host's bundler splits them), and until they arrive the English text shows.
 * `registerLocale(lang, strings)` adds a language or overrides some strings, and the elements on
 * the page render again.
 */

/** The languages Charla ships; others can be added with `registerLocale`. */
export const LOCALES = ['es', 'en', 'pt'] as const;
/** A language code: one of `LOCALES` or one added with `registerLocale` ("fr"). */
export type Locale = string;
/** The language whose strings are bundled with each element and shown while another one loads. */
export const DEFAULT_LOCALE = 'en';

type Values = Record<string, string | number>;
/** A language's strings: `key → text`, with `{name}` placeholders. */
export type Strings = Record<string, string>;
type Loader = () => Promise<{ default: Strings }>;

/** Strings hosts registered, per language, keyed as `registerLocale` documents ("kanban.board"). */
const registered = new Map<string, Strings>();
const listeners = new Set<() => void>();

/** Called after a language arrives or is registered (the localize controllers render their hosts again). */
export function onStringsChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changed(): void {
  listeners.forEach((listener) => listener());
}

/**
 * Adds a language or overrides some strings of one: keys are those of the elements' strings,
 * e.g. `registerLocale('pt', { 'kanban.board': 'Funil de vendas' })` or a whole new language
 * (`registerLocale('fr', { 'inbox.search': 'Rechercher…', … })`); a key a language does not
 * give falls back to Charla's own translation, then to English. Elements on the page render again.
 */
export function registerLocale(lang: string, strings: Strings): void {
  const code = lang.toLowerCase();
  registered.set(code, { ...registered.get(code), ...strings });
  changed();
}

/** Fills `{name}` placeholders of a template from `values` (missing ones become empty). */
export function fill(template: string, values: Values = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** One element's strings: English inline, the other languages as loaders that `import()` them. */
class Catalog<K extends string> {
  readonly #loaded = new Map<string, Strings>();
  readonly #requested = new Map<string, Promise<void>>();

  constructor(
    readonly namespace: string,
    readonly en: Record<K, string>,
    readonly loaders: Partial<Record<Locale, Loader>>,
  ) {
    everyCatalog.add(this);
  }

  /** `key` in `lang`: a registered string, then the loaded language (loading it now if needed), then English. */
  text(lang: Locale, key: K): string {
    const own = registered.get(lang)?.[this.namespace ? `${this.namespace}.${key}` : key];
    if (own !== undefined) return own;
    if (lang !== DEFAULT_LOCALE) {
      const loaded = this.#loaded.get(lang);
      if (loaded) return loaded[key] ?? this.en[key];
      void this.load(lang);
    }
    return this.en[key];
  }

  /** Loads `lang` once (settles when it is there, or failed: then English stays and the next render asks again). */
  load(lang: Locale): Promise<void> {
    const loader = this.loaders[lang];
    if (!loader || this.#loaded.has(lang)) return Promise.resolve();
    let loading = this.#requested.get(lang);
    if (!loading) {
      loading = loader().then(
        (module) => {
          this.#loaded.set(lang, module.default);
          changed();
        },
        () => {
          this.#requested.delete(lang);
        },
      );
      this.#requested.set(lang, loading);
    }
    return loading;
  }
}

const everyCatalog = new Set<Catalog<string>>();

/**
 * Loads `lang` for every element imported so far; a host that awaits it before showing its page
 * gets no English text first (without it, elements show English until the language arrives).
 */
export async function loadLocale(lang: string): Promise<void> {
  const code = pickLocale(lang);
  await Promise.all([...everyCatalog].map((catalog) => catalog.load(code)));
}

const catalogs = new Map<string, Catalog<string>>();

/**
 * A lookup for an element's own strings kept beside it, named by `namespace` for
 * `registerLocale` ("kanban" → "kanban.board"):
 * `const kanbanString = defineStrings('kanban', en, { es: () => import('./kanban.es.js') })`.
 */
export function defineStrings<K extends string>(namespace: string, en: Record<K, string>, loaders: Partial<Record<Locale, Loader>>) {
  const catalog = new Catalog(namespace, en, loaders);
  return (lang: Locale, key: K, values: Values = {}): string => fill(catalog.text(lang, key), values);
}

/**
 * Shared strings whose keys carry their group ("inbox.search"): `t()` finds a key's group by its
 * prefix, among the groups the elements on the page declared with `useStrings`.
 */
export function defineGroup<K extends string>(en: Record<K, string>, loaders: Partial<Record<Locale, Loader>>): Catalog<K> {
  return new Catalog('', en, loaders);
}

/** Makes groups of shared strings available to `t()` (an element's module calls it with the groups it shows). */
export function useStrings(...groups: Array<Catalog<string>>): void {
  for (const group of groups) {
    for (const key of Object.keys(group.en)) catalogs.set(key.slice(0, key.indexOf('.')), group);
  }
}

/** A shared string by its full key ("inbox.search"), or the key itself when no element declared its group. */
export function sharedText(lang: Locale, key: string, values: Values = {}): string {
  const group = catalogs.get(key.slice(0, key.indexOf('.')));
  return fill(group ? group.text(lang, key) : key, values);
}

/** `es-MX` → `es` (a shipped or registered language, or a registered `es-mx`); anything unknown → `en`. */
export function pickLocale(lang: string | null | undefined): Locale {
  const code = (lang ?? '').toLowerCase();
  const base = code.split('-')[0] ?? '';
  if ((LOCALES as readonly string[]).includes(base) || registered.has(base)) return base;
  return registered.has(code) ? code : DEFAULT_LOCALE;
}
