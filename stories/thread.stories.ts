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

const canned = [
  { id: 'c1', workspaceId: 'ws', shortcut: 'envio', title: 'Costo de envío', body: 'El envío cuesta $99 MXN y llega en 48 h.', createdAt: '', updatedAt: '' },
  { id: 'c2', workspaceId: 'ws', shortcut: 'pago', title: 'Formas de pago', body: 'Aceptamos tarjeta, SPEI y OXXO.', createdAt: '', updatedAt: '' },
];

const meta: Meta = {
  title: 'Agent/Thread',
  component: 'charla-thread',
  args: { readonly: false },
  render: (args) => html`<div style="height: 100vh">
    <charla-thread
      conversation-id="cv_1"
      ?readonly=${args.readonly}
      .conversation=${args.conversation ?? conversation({ windowExpiresAt: new Date(Date.now() + 5 * 3_600_000).toISOString() })}
      .contact=${contact()}
      .messages=${args.messages ?? history}
      .typing=${args.typing ?? null}
      .templates=${args.templates ?? []}
      .cannedResponses=${canned}
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
export const CustomerTyping: Story = { args: { typing: 'María López' } };
export const WindowClosed: Story = {
  args: {
    conversation: conversation({ windowExpiresAt: minutesAgo(90) }),
    templates: [
      { name: 'order_update', language: 'es_MX', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hola {{1}}, tu pedido {{2}} está en camino.' }] },
      { name: 'follow_up', language: 'es_MX', status: 'APPROVED', category: 'MARKETING', components: [{ type: 'BODY', text: '¡Hola! ¿Seguimos con tu cotización?' }] },
    ],
  },
};
export const RichContent: Story = {
  args: {
    messages: [
      message({ id: 'r1', type: 'location', body: 'Tienda Centro', content: { location: { latitude: 19.4326, longitude: -99.1332, name: 'Tienda Centro', address: 'Madero 12, CDMX' } } }),
      message({ id: 'r2', type: 'contacts', body: 'Contacto', content: { contacts: [{ name: { formatted_name: 'Luis Pérez' }, phones: [{ phone: '+52 55 1111 2222' }] }] } }),
      message({ id: 'r3', type: 'document', body: 'cotizacion.pdf', content: { document: { filename: 'cotizacion.pdf', mime_type: 'application/pdf' } } }),
      message({ id: 'r4', type: 'reaction', body: '❤️', content: { reaction: { emoji: '❤️' } } }),
      message({ id: 'r5', type: 'unsupported', body: '' }),
    ],
  },
};
export const LongHistory: Story = {
  args: {
    messages: Array.from({ length: 2000 }, (_, i) =>
      message({ id: `l${String(i).padStart(5, '0')}`, body: `Mensaje ${i}`, direction: i % 3 ? 'in' : 'out', senderKind: i % 3 ? 'contact' : 'agent', createdAt: minutesAgo(2000 - i) }),
    ),
  },
};
export const ReadOnly: Story = { args: { readonly: true } };
export const English: Story = { globals: { locale: 'en' } };
export const Dark: Story = { globals: { theme: 'dark' } };
