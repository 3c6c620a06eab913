import '../shared/charla-deal-editor.js';
import '../shared/charla-task-editor.js';
import { CharlaThread } from './thread.component.js';

CharlaThread.define('charla-thread');

declare global {
  interface HTMLElementTagNameMap {
    'charla-thread': CharlaThread;
  }
}

export { CharlaThread };
