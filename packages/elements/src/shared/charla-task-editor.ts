import { CharlaTaskEditor } from './task-editor.js';

CharlaTaskEditor.define('charla-task-editor');

declare global {
  interface HTMLElementTagNameMap {
    'charla-task-editor': CharlaTaskEditor;
  }
}

export { CharlaTaskEditor };
