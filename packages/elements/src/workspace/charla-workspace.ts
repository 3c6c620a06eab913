import { CharlaWorkspace } from './workspace.component.js';

CharlaWorkspace.define('charla-workspace');

declare global {
  interface HTMLElementTagNameMap {
    'charla-workspace': CharlaWorkspace;
  }
}

export { CharlaWorkspace };
/** Adds a language or overrides some strings; see the README's "Languages". */
export { registerLocale } from '../i18n/strings.js';
