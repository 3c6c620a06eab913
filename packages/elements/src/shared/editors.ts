import type { CharlaDealEditor } from './deal-editor.js';
import type { CharlaTaskEditor } from './task-editor.js';

/**
 * The deal and task dialogs a view renders (`<charla-deal-editor>`, `<charla-task-editor>` in its
 * shadow root), loaded the first time one is opened: a view that is only looked at never pays for
 * them. Resolves to the view's dialog, upgraded and ready for `edit()` / `create()`.
 */
export async function dealEditorIn(root: ParentNode): Promise<CharlaDealEditor | null> {
  await import('./charla-deal-editor.js');
  return upgraded(root.querySelector<CharlaDealEditor>('charla-deal-editor'));
}

/** The same for the task dialog. */
export async function taskEditorIn(root: ParentNode): Promise<CharlaTaskEditor | null> {
  await import('./charla-task-editor.js');
  return upgraded(root.querySelector<CharlaTaskEditor>('charla-task-editor'));
}

/** Upgraded even when its view left the page while the dialog loaded (no upgrade happens for it then). */
function upgraded<T extends HTMLElement>(editor: T | null): T | null {
  if (editor) customElements.upgrade(editor);
  return editor;
}
