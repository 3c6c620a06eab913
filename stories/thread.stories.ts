import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '@charla/elements';
import { contact, conversation, message, minutesAgo } from '../tests/fixtures/entities.js';

const agentReply = { direction: 'out', senderKind: 'agent', senderId: 'ag_ana', senderName: 'Ana García' } as const;
const history = [
  message({ id: 'm1', body: 'Hola, ¿cuánto cuesta el envío a Monterrey?', createdAt: minutesAgo(60 * 26) }),
  message({ id: 'm2', ...agentReply, body: '¡Hola María! El envío a Monterrey cuesta $99 MXN y llega en 48 h.', status: 'read', createdAt: minutesAgo(60 * 25) }),
  message({ id: 'm3', senderKind: 'system', direction: 'out', private: true, senderName: null, type: 'system', body: 'Ana García assigned the conversation to Ana García', createdAt: minutesAgo(60 * 25) }),
  message({ id: 'm4', body: 'Perfecto. ¿Y si pido 3 bolsas de Chiapas Altura?', createdAt: minutesAgo(30) }),
  message({ id: 'm5', ...agentReply, private: true, body: 'Cliente frecuente: ofrecer 10 % de descuento.', status: 'sent', createdAt: minutesAgo(20) }),
  message({ id: 'm6', ...agentReply, body: 'Con 3 bolsas el envío es gratis 🎉', status: 'delivered', createdAt: minutesAgo(10) }),
];

const meta: Meta = {
  title: 'Agent/Thread',
  component: 'charla-thread',
  args: { readonly: false },
  render: (args) => html`<div style="height: 100vh">
    <charla-thread
      conversation-id="cv_1"
      ?readonly=${args.readonly}
      .conversation=${conversation()}
      .contact=${contact()}
      .messages=${args.messages ?? history}
    ></charla-thread>
  </div>`,
};
export default meta;

type Story = StoryObj;

export const Conversation: Story = {};
export const Sending: Story = {
  args: {
    messages: [
      ...history,
      message({ id: 'local:c1', clientId: 'c1', ...agentReply, body: '¿Te lo envío hoy?', status: 'pending', createdAt: minutesAgo(0) }),
    ],
  },
};
export const Failed: Story = {
  args: {
    messages: [
      ...history,
      message({ id: 'local:c2', clientId: 'c2', ...agentReply, body: '¿Te lo envío hoy?', status: 'failed', error: 'The customer service window is closed', createdAt: minutesAgo(0) }),
    ],
  },
};
export const Empty: Story = { args: { messages: [] } };
export const ReadOnly: Story = { args: { readonly: true } };
export const English: Story = { globals: { locale: 'en' } };
export const Dark: Story = { globals: { theme: 'dark' } };
