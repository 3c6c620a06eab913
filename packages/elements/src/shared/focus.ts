/** The first enabled, visible control of a tree, for `focus()`. */
export function firstControl(root: ParentNode): HTMLElement | null {
  const candidates = root.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], [tabindex="0"]');
  for (const element of candidates) {
    if ((element as HTMLButtonElement).disabled || element.closest('[hidden], [inert]')) continue;
    if (element.getClientRects().length === 0) continue;
    return element;
  }
  return null;
}
