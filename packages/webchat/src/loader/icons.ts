/** The launcher's icons, as markup (the loader builds its DOM without Lit). */
export const chatIcon = `<svg class="when-closed" viewBox="0 0 28 28" width="28" height="28" aria-hidden="true" focusable="false">
<path fill="currentColor" d="M14 3.5C7.6 3.5 2.5 7.9 2.5 13.4c0 2.9 1.4 5.5 3.7 7.3l-.9 3.5c-.2.8.6 1.4 1.3 1l4.3-2.3c1 .2 2 .3 3.1.3 6.4 0 11.5-4.4 11.5-9.8S20.4 3.5 14 3.5Z"/>
<g fill="var(--_primary)"><circle cx="9.2" cy="13.4" r="1.6"/><circle cx="14" cy="13.4" r="1.6"/><circle cx="18.8" cy="13.4" r="1.6"/></g></svg>`;

export const chevronIcon = `<svg class="when-open" viewBox="0 0 28 28" width="28" height="28" aria-hidden="true" focusable="false">
<path fill="none" stroke="currentColor" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round" d="m7.5 11 6.5 6.5 6.5-6.5"/></svg>`;
