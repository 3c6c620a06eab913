import { CharlaProvider } from './provider.component.js';

CharlaProvider.define('charla-provider');

declare global {
  interface HTMLElementTagNameMap {
    'charla-provider': CharlaProvider;
  }
}

export { CharlaProvider };
