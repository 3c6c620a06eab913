/**
 * /widget.js: the classic script a site embeds with
 * `<script src="https://HOST/widget.js" data-workspace="KEY" async></script>`.
 * It draws the launcher and defines `window.Charla`; the chat itself loads on the first open.
 */
import { findLoaderScript, readOptions } from './loader/options.js';
import { createWidget, type CharlaApi } from './loader/widget.js';

export type { CharlaApi, CharlaEventMap, CharlaEventName } from './loader/widget.js';
export type { CharlaSettings } from './loader/options.js';

declare global {
  interface Window {
    Charla?: CharlaApi;
  }
}

function boot(): void {
  // The tag pasted twice (or a theme and a plugin both adding it) must give one launcher.
  if (window.Charla) return;
  const options = readOptions(findLoaderScript(), window.charlaSettings);
  if (!options.workspace) {
    console.error('Charla: add data-workspace="YOUR_WIDGET_KEY" to the widget.js script tag');
    return;
  }
  const widget = createWidget(options);
  window.Charla = widget.api;
  if (document.body) widget.mount();
  else document.addEventListener('DOMContentLoaded', () => widget.mount(), { once: true });
}

boot();
