/**
 * Tags registered on demand: the root entry (`@charla/elements`) names the views a page shows
 * only sometimes (dashboard, settings, directory, agenda…) here, and each one's code loads the first
 * time an element with its tag appears in the document, instead of with the page.
 *
 * The document is watched from the moment a tag is named here. Elements inside a shadow root
 * the host renders (a Lit or Stencil host) are out of the document's sight: pass that root to
 * `discover()`, or import the element's own entry (`@charla/elements/dashboard.js`), which
 * registers it at once; `defineAll()` registers every on-demand tag now. `whenDefined(tag)` (or
 * `customElements.whenDefined`) resolves once the
 * element is registered; an element created before that upgrades in place, keeping the properties
 * already set on it.
 */

type Loader = () => Promise<unknown>;

const loaders = new Map<string, Loader>();
const loading = new Map<string, Promise<void>>();
let observer: MutationObserver | undefined;

/** Loads a named tag's definition (once); resolves when the tag is registered. */
export function whenDefined(tag: string): Promise<void> {
  const loader = loaders.get(tag);
  if (!loader || typeof customElements === 'undefined' || customElements.get(tag)) return Promise.resolve();
  let pending = loading.get(tag);
  if (!pending) {
    pending = loader().then(
      () => customElements.whenDefined(tag).then(stopWatchingOnceAllDefined),
      (error: unknown) => {
        // A failed chunk (offline, a deploy replaced it) may load on the next appearance.
        loading.delete(tag);
        throw error;
      },
    );
    loading.set(tag, pending);
  }
  return pending;
}

/** Every named tag is registered: watching the document's insertions any longer is work for nothing. */
function stopWatchingOnceAllDefined(): void {
  if (!observer || [...loaders.keys()].some((tag) => !customElements.get(tag))) return;
  observer.disconnect();
  observer = undefined;
}

/** Registers every on-demand tag now, wherever it will be used (a host rendering inside shadow roots, a test). */
export function defineAll(): Promise<void> {
  return Promise.all([...loaders.keys()].map((tag) => whenDefined(tag))).then(() => undefined);
}

/** Registers every on-demand tag used under `root` (and `root` itself) that is not registered yet. */
export function discover(root: ParentNode | Element): Promise<void> {
  const found = new Set<string>();
  if ('localName' in root && loaders.has(root.localName)) found.add(root.localName);
  for (const element of root.querySelectorAll(':not(:defined)')) {
    if (loaders.has(element.localName)) found.add(element.localName);
  }
  return Promise.all([...found].map((tag) => whenDefined(tag).catch((error: unknown) => console.error(`<${tag}> could not load`, error)))).then(
    () => undefined,
  );
}

/**
 * Names tags whose code loads when first used (`{'charla-dashboard': () => import('…')}`) and starts
 * watching the document for them. Does nothing outside a browser (server rendering).
 */
export function defineOnDemand(entries: Record<string, Loader>): void {
  for (const [tag, loader] of Object.entries(entries)) if (!loaders.has(tag)) loaders.set(tag, loader);
  if (typeof document === 'undefined' || typeof MutationObserver === 'undefined') return;
  void discover(document);
  if (observer) return;
  observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) if (node.nodeType === Node.ELEMENT_NODE) void discover(node as Element);
    }
  });
  observer.observe(document, { childList: true, subtree: true });
}
