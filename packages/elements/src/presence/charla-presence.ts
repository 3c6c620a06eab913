import { CharlaPresence } from './presence.component.js';

CharlaPresence.define('charla-presence');

declare global {
  interface HTMLElementTagNameMap {
    'charla-presence': CharlaPresence;
  }
}

export { CharlaPresence };
