import type { TemplateResult, nothing } from 'lit';

/**
 * What a host's renderer may return: a lit template (`html` from `lit`), a DOM node, text (always
 * shown as text), or nothing. Charla never renders it as HTML; escaping what the host puts in its
 * own template or node is the host's job (lit's `html` escapes every `${value}` by itself).
 */
export type Rendered = TemplateResult | Node | string | number | typeof nothing | null | undefined;

/**
 * A host's renderer for one item: gets the item, Charla's default content for it (return it to keep
 * the default, or place it inside your own) and what else the element knows about the item.
 */
export type Renderer<Item, Context> = (item: Item, defaultContent: TemplateResult, context: Context) => Rendered;

/**
 * The host's content for an item, or the default one when there is no renderer. A renderer that
 * throws costs only its own item: the default content is shown and the error is logged.
 */
export function renderWith<Item, Context>(
  renderer: Renderer<Item, Context> | null | undefined,
  item: Item,
  defaultContent: () => TemplateResult,
  context: () => Context,
): { content: Rendered; custom: boolean } {
  if (!renderer) return { content: defaultContent(), custom: false };
  const fallback = defaultContent();
  try {
    const content = renderer(item, fallback, context());
    return { content, custom: content !== fallback };
  } catch (error) {
    console.error('A Charla renderer threw; showing the default content.', error);
    return { content: fallback, custom: false };
  }
}
