import { CharlaDealEditor } from './deal-editor.js';

CharlaDealEditor.define('charla-deal-editor');

declare global {
  interface HTMLElementTagNameMap {
    'charla-deal-editor': CharlaDealEditor;
  }
}

export { CharlaDealEditor };
