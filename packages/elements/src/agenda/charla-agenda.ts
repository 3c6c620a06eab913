import '../shared/charla-task-editor.js';
import { CharlaAgenda } from './agenda.component.js';

CharlaAgenda.define('charla-agenda');

declare global {
  interface HTMLElementTagNameMap {
    'charla-agenda': CharlaAgenda;
  }
}

export { CharlaAgenda };
