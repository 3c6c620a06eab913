import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '@charla/elements';
import { agent, contact, conversation, minutesAgo } from '../tests/fixtures/entities.js';

const contacts = [
  contact({ id: 'ct_maria', name: 'María López' }),
  contact({ id: 'ct_john', name: 'John Carter', phone: null, email: 'john@carter.io' }),
  contact({ id: 'ct_rui', name: 'Rui Alves' }),
  contact({ id: 'ct_sofia', name: 'Sofía Ramírez' }),
];
const conversations = [
  conversation({ id: 'cv_1', contactId: 'ct_maria', unreadCount: 2, labels: ['envíos'] }),
  conversation({
    id: 'cv_2', contactId: 'ct_john', channel: 'instagram', assigneeId: 'ag_ana', priority: 'high',
    lastMessagePreview: 'Is the blue one back in stock?', lastMessageAt: minutesAgo(42), waitingSince: null, unreadCount: 0,
  }),
  conversation({
    id: 'cv_3', contactId: 'ct_rui', channel: 'webchat', lastMessagePreview: 'Vocês entregam em Curitiba?',
    lastMessageAt: minutesAgo(180), waitingSince: minutesAgo(180), unreadCount: 1, priority: 'urgent',
  }),
  conversation({
    id: 'cv_4', contactId: 'ct_sofia', status: 'resolved', assigneeId: 'ag_bruno', lastMessagePreview: '¡Gracias, llegó perfecto!',
    lastMessageAt: minutesAgo(60 * 30), waitingSince: null, unreadCount: 0,
  }),
];
const agents = [agent(), agent({ id: 'ag_bruno', name: 'Bruno Costa', role: 'agent' })];

const meta: Meta = {
  title: 'Agent/Inbox',
  component: 'charla-inbox',
  args: { status: 'open', selected: 'cv_2' },
  render: (args) => html`<div style="height: 100vh; max-width: 400px">
    <charla-inbox
      status=${args.status}
      selected=${args.selected}
      .conversations=${args.conversations ?? conversations}
      .contacts=${contacts}
      .agents=${agents}
      .counts=${args.counts ?? { open: 3, pending: 0, snoozed: 0, resolved: 1, all: 4 }}
    ></charla-inbox>
  </div>`,
};
export default meta;

type Story = StoryObj;

export const Open: Story = {};
export const Resolved: Story = { args: { status: 'resolved' } };
export const All: Story = { args: { status: 'all' } };
export const Empty: Story = { args: { conversations: [], counts: { open: 0, pending: 0, snoozed: 0, resolved: 0, all: 0 } } };
export const English: Story = { globals: { locale: 'en' } };
export const Portuguese: Story = { globals: { locale: 'pt' } };
export const Dark: Story = { globals: { theme: 'dark' } };
