import '../shared/charla-deal-editor.js';
import { CharlaKanban } from './kanban.component.js';

CharlaKanban.define('charla-kanban');

declare global {
  interface HTMLElementTagNameMap {
    'charla-kanban': CharlaKanban;
  }
}

export { CharlaKanban };
