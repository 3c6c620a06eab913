import { CharlaTimeline } from './timeline.component.js';

CharlaTimeline.define('charla-timeline');

declare global {
  interface HTMLElementTagNameMap {
    'charla-timeline': CharlaTimeline;
  }
}

export { CharlaTimeline };
/** Adds a language or overrides some strings; see the README's "Languages". */
export { registerLocale } from '../i18n/strings.js';
