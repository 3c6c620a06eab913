import type { Preview } from '@storybook/web-components-vite';
import { setCustomElementsManifest } from '@storybook/web-components-vite';
import { tokensCss } from '@charla/elements';
import manifest from '../custom-elements.json';

// Docs tables (properties, events, parts, CSS properties, slots) come from the source's JSDoc.
setCustomElementsManifest(manifest);

const sheet = new CSSStyleSheet();
sheet.replaceSync(tokensCss);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

const preview: Preview = {
  // A docs page per component, its tables generated from custom-elements.json.
  tags: ['autodocs'],
  parameters: {
    controls: { expanded: true },
    layout: 'fullscreen',
  },
  globalTypes: {
    locale: {
      description: 'Language of the components',
      toolbar: { title: 'Language', icon: 'globe', items: ['es', 'en', 'pt'], dynamicTitle: true },
    },
    theme: {
      description: 'Light or dark tokens',
      toolbar: { title: 'Theme', icon: 'mirror', items: ['light', 'dark'], dynamicTitle: true },
    },
  },
  initialGlobals: { locale: 'es', theme: 'light' },
  decorators: [
    (story, context) => {
      document.documentElement.lang = String(context.globals.locale ?? 'es');
      document.documentElement.dataset.charlaTheme = String(context.globals.theme ?? 'light');
      document.body.style.background = 'var(--charla-color-surface)';
      return story();
    },
  ],
};

export default preview;
