import { CharlaTimeline } from './timeline.component.js';

CharlaTimeline.define('charla-timeline');

declare global {
  interface HTMLElementTagNameMap {
    'charla-timeline': CharlaTimeline;
  }
}

export { CharlaTimeline };
