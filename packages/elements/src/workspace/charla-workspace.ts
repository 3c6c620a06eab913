import { CharlaWorkspace } from './workspace.component.js';

CharlaWorkspace.define('charla-workspace');

declare global {
  interface HTMLElementTagNameMap {
    'charla-workspace': CharlaWorkspace;
  }
}

export { CharlaWorkspace };
