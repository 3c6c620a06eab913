import { CharlaInbox } from './inbox.component.js';

CharlaInbox.define('charla-inbox');

declare global {
  interface HTMLElementTagNameMap {
    'charla-inbox': CharlaInbox;
  }
}

export { CharlaInbox };
