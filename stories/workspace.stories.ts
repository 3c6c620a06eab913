import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '@charla/elements';
import type { CharlaInbox, CharlaThread, CharlaWorkspace } from '@charla/elements';
import { agent, contact, conversation, message, minutesAgo } from '../tests/fixtures/entities.js';

const maria = contact({ id: 'ct_maria', name: 'María López' });
const john = contact({ id: 'ct_john', name: 'John Carter' });
const conversations = [
  conversation({ id: 'cv_1', contactId: 'ct_maria', lastMessagePreview: '¿Y si pido 3 bolsas de Chiapas Altura?', unreadCount: 1 }),
  conversation({ id: 'cv_2', contactId: 'ct_john', channel: 'instagram', lastMessagePreview: 'Is the blue one back in stock?', lastMessageAt: minutesAgo(40), unreadCount: 0 }),
];
const messages = [
  message({ id: 'm1', conversationId: 'cv_1', body: 'Hola, ¿cuánto cuesta el envío a Monterrey?', createdAt: minutesAgo(60) }),
  message({ id: 'm2', conversationId: 'cv_1', direction: 'out', senderKind: 'agent', senderId: 'ag_ana', senderName: 'Ana García', body: 'El envío cuesta $99 MXN y llega en 48 h.', status: 'read', createdAt: minutesAgo(50) }),
  message({ id: 'm3', conversationId: 'cv_1', body: '¿Y si pido 3 bolsas de Chiapas Altura?', createdAt: minutesAgo(30) }),
];

/** Data mode: the story plays the host, pointing the thread and the panel at what the inbox selects. */
function follow(event: CustomEvent<{ conversationId: string }>): void {
  const workspace = (event.currentTarget as HTMLElement).closest('charla-workspace') as CharlaWorkspace;
  const chosen = conversations.find((candidate) => candidate.id === event.detail.conversationId)!;
  workspace.querySelector<CharlaInbox>('charla-inbox')!.selected = chosen.id;
  const thread = workspace.querySelector<CharlaThread>('charla-thread')!;
  thread.conversation = chosen;
  thread.contact = chosen.contactId === maria.id ? maria : john;
  thread.messages = chosen.id === 'cv_1' ? messages : [];
  workspace.querySelector('charla-contact-panel')!.contact = thread.contact;
}

interface Args {
  /** The room the host gives the workspace: it lays itself out for that, not for the window. */
  width: string;
}

const meta: Meta<Args> = {
  title: 'Agent/Workspace',
  component: 'charla-workspace',
  args: { width: '100%' },
  render: (args) => html`<div style="height: 100vh; width: ${args.width}; max-width: 100%; border: 1px dashed #d9dee5">
    <charla-workspace>
      <charla-inbox slot="inbox" .conversations=${conversations} .contacts=${[maria, john]} .agents=${[agent()]} @charla-conversation-select=${follow}></charla-inbox>
      <charla-thread slot="thread"></charla-thread>
      <charla-contact-panel slot="panel"></charla-contact-panel>
    </charla-workspace>
  </div>`,
};
export default meta;

type Story = StoryObj<Args>;

/** Three columns when wide; pick a conversation. */
export const Wide: Story = {};
/** 768 px: inbox and thread; "Contact" opens the panel as a sheet over the thread. */
export const Tablet: Story = { args: { width: '768px' } };
/** 390 px: one pane at a time, with a back control (Escape and Alt+← too). */
export const Phone: Story = { args: { width: '390px' } };
export const PhoneDark: Story = { args: { width: '390px' }, globals: { theme: 'dark' } };
