import { CharlaDashboard } from './dashboard.component.js';

CharlaDashboard.define('charla-dashboard');

declare global {
  interface HTMLElementTagNameMap {
    'charla-dashboard': CharlaDashboard;
  }
}

export { CharlaDashboard };
