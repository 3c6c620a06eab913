import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '@charla/elements';
import { contact, conversation, message } from '../tests/fixtures/entities.js';

/**
 * Every color, radius, spacing and font is a `--charla-*` custom property. Set them on any
 * ancestor (or `:root`) to brand the components; each component also exposes `part`s.
 */
const meta: Meta = {
  title: 'Theming/Tokens',
  args: { primary: '#7c3aed', radius: '18px', font: 'Georgia, serif' },
  render: (args) => html`<div
    style="height: 100vh; display: grid; grid-template-columns: 360px 1fr; --charla-color-primary: ${args.primary};
      --charla-color-bubble-out: ${args.primary}; --charla-radius-l: ${args.radius}; --charla-font-family: ${args.font}"
  >
    <charla-inbox .conversations=${[conversation()]} .contacts=${[contact()]} selected="cv_1"></charla-inbox>
    <charla-thread
      conversation-id="cv_1"
      .conversation=${conversation()}
      .contact=${contact()}
      .messages=${[message(), message({ id: 'm2', direction: 'out', senderKind: 'agent', senderName: 'Ana García', body: '¡Claro que sí!', status: 'read' })]}
    ></charla-thread>
  </div>`,
};
export default meta;

export const Brand: StoryObj = {};
export const DarkTheme: StoryObj = { globals: { theme: 'dark' } };
