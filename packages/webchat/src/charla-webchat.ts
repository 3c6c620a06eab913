import { CharlaWebchat } from './webchat.component.js';

// A second copy of the widget on the page (the host's own bundle plus /widget.js) must not throw.
if (!customElements.get('charla-webchat')) customElements.define('charla-webchat', CharlaWebchat);

declare global {
  interface HTMLElementTagNameMap {
    'charla-webchat': CharlaWebchat;
  }
}
