import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import type { VisitorMessage } from '@charla/protocol';
import '@charla/webchat';
import type { PreChatForm } from '../packages/webchat/src/webchat.component.js';
import { createWidget } from '../packages/webchat/src/loader/widget.js';
import { readOptions } from '../packages/webchat/src/loader/options.js';
import { message, minutesAgo } from '../tests/fixtures/entities.js';

/**
 * `<charla-webchat>` is what a site's visitors see once they open the chat launcher of
 * `/widget.js`. Here it renders plain data (`.messages`, `state`); on a site it connects by
 * itself with `workspace="KEY"`.
 */
const visitor = (overrides: Partial<VisitorMessage>) =>
  message({ direction: 'in', senderKind: 'contact', senderId: 'ct_visitor', senderName: null, status: 'read', ...overrides });
const agent = (overrides: Partial<VisitorMessage>) =>
  message({ direction: 'out', senderKind: 'agent', senderId: 'ag_ana', senderName: 'Ana García', status: 'read', ...overrides });

const conversation: VisitorMessage[] = [
  visitor({ id: 'm1', body: 'Hi! Do you ship to Lisbon?', createdAt: minutesAgo(60 * 26) }),
  agent({ id: 'm2', body: 'Hello! Yes, we ship to Portugal in 2–3 business days.', createdAt: minutesAgo(60 * 26 - 2) }),
  visitor({ id: 'm3', body: 'Great. Is the oak board back in stock?', createdAt: minutesAgo(14) }),
  agent({ id: 'm4', body: 'It is! We restocked it this morning 🎉', createdAt: minutesAgo(12) }),
  agent({ id: 'm5', body: 'Here it is: https://aurora.test/products/oak-board', createdAt: minutesAgo(11) }),
  visitor({ id: 'm6', body: 'Perfect, thanks!', createdAt: minutesAgo(3), status: 'delivered' }),
];

const sending: VisitorMessage[] = [
  ...conversation.slice(2),
  visitor({ id: 'local:c_two', clientId: 'c_two', body: 'I would like two of them.', createdAt: minutesAgo(1), status: 'pending' }),
  visitor({
    id: 'local:c_wrap', clientId: 'c_wrap', body: 'Can you gift-wrap them?', createdAt: minutesAgo(0.5), status: 'failed',
    error: 'A message can be at most 4096 characters',
  }),
];

interface WebchatArgs {
  workspaceName: string;
  greeting: string;
  lang: string;
  dark: boolean;
  state: 'connecting' | 'online' | 'reconnecting' | 'unauthorized' | 'closed';
  hasMore: boolean;
  messages: VisitorMessage[];
  /** No agent online or outside business hours. */
  away: boolean;
  /** Name of the agent typing; empty: no one. */
  typing: string;
  preChat: PreChatForm | null;
}

const meta: Meta<WebchatArgs> = {
  title: 'Webchat/Webchat',
  component: 'charla-webchat',
  args: {
    workspaceName: 'Aurora Shop', greeting: '', lang: '', dark: false, state: 'online', hasMore: false, messages: [],
    away: false, typing: '', preChat: null,
  },
  argTypes: {
    state: { control: 'select', options: ['connecting', 'online', 'reconnecting', 'unauthorized'] },
    lang: { control: 'select', options: ['', 'es', 'en', 'pt'] },
  },
  parameters: { layout: 'centered' },
  render: (args) => html`<div style="width: 380px; height: 640px">
    <charla-webchat
      workspace-name=${args.workspaceName}
      greeting=${args.greeting}
      lang=${args.lang || document.documentElement.lang}
      ?dark=${args.dark}
      state=${args.state}
      ?has-more=${args.hasMore}
      ?away=${args.away}
      typing=${args.typing || nothing}
      .preChat=${args.preChat}
      .messages=${args.messages}
    ></charla-webchat>
  </div>`,
};
export default meta;

type Story = StoryObj<WebchatArgs>;

/** Just opened: the workspace's greeting is the first message. */
export const OpenWithGreeting: Story = { args: { greeting: 'Hi! 👋 Looking for something special? Ask us anything.' } };

export const Conversation: Story = { args: { messages: conversation } };

/** One message on its way (clock), one the server refused (Retry / Discard). */
export const PendingAndFailed: Story = { args: { messages: sending } };

export const OlderMessagesAvailable: Story = { args: { messages: conversation.slice(2), hasMore: true } };

export const Connecting: Story = { args: { state: 'connecting' } };

/** The connection dropped: messages typed now wait in the outbox. */
export const Reconnecting: Story = { args: { state: 'reconnecting', messages: sending.slice(0, 5) } };

/** Unknown widget key (or a workspace that disabled its widget). */
export const Unavailable: Story = { args: { state: 'unauthorized' } };

export const Dark: Story = { args: { dark: true, messages: sending } };

export const Spanish: Story = { args: { lang: 'es', messages: conversation.slice(2) } };
export const English: Story = { args: { lang: 'en', messages: conversation.slice(2) } };
export const Portuguese: Story = { args: { lang: 'pt', messages: conversation.slice(2) } };

/** Under 640 px wide the panel takes the whole screen, as /widget.js shows it on phones. */
export const Mobile: Story = {
  args: { messages: sending },
  parameters: { layout: 'fullscreen' },
  globals: { viewport: { value: 'mobile1', isRotated: false } },
  render: (args) => html`<div style="height: 100vh">
    <charla-webchat
      workspace-name=${args.workspaceName}
      lang=${args.lang || document.documentElement.lang}
      state=${args.state}
      .messages=${args.messages}
    ></charla-webchat>
  </div>`,
};

/** The widget's own tokens (`--charla-webchat-*`) brand it without touching the rest of Charla. */
export const BrandColors: Story = {
  args: { messages: conversation.slice(2) },
  render: (args) => html`<div
    style="width: 380px; height: 640px; --charla-webchat-primary: #0f766e; --charla-webchat-radius: 24px;
      --charla-webchat-bubble-radius: 12px; --charla-webchat-font: Georgia, serif"
  >
    <charla-webchat workspace-name=${args.workspaceName} lang=${args.lang || document.documentElement.lang} .messages=${args.messages}></charla-webchat>
  </div>`,
};

/** An agent is typing: three dots under the last message (announced to screen readers). */
export const AgentTyping: Story = { args: { messages: conversation.slice(2, 4), typing: 'Ana García' } };

/** No agent online, or outside business hours: the header says so and a card asks for an email. */
export const Away: Story = { args: { away: true, messages: conversation.slice(2, 3) } };

/** The workspace asks who the visitor is before the first message (name required, email optional). */
export const PreChat: Story = { args: { preChat: { name: 'required', email: 'optional', phone: 'off' } } };

/** Away and asking the pre-chat form: the form asks the email, the card only explains. */
export const AwayWithPreChat: Story = { args: { away: true, preChat: { name: 'required', email: 'required', phone: 'optional' } } };

/** Offline: what the visitor writes waits in the outbox (clock) and goes out, in order, on reconnect. */
export const OfflineQueue: Story = {
  args: {
    state: 'reconnecting',
    messages: [
      ...conversation.slice(2, 4),
      visitor({ id: 'local:q1', clientId: 'q1', body: 'I am on the train, the signal is patchy', createdAt: minutesAgo(1), status: 'pending' }),
      visitor({ id: 'local:q2', clientId: 'q2', body: 'Two boards, please', createdAt: minutesAgo(0.5), status: 'pending' }),
    ],
  },
};

/**
 * What every page of the site shows before the visitor opens the chat: the launcher of
 * `/widget.js` (here with an unread reply badge off, and `data-launcher-text`). Nothing loads or
 * connects until it is clicked.
 */
export const Closed: StoryObj<{ position: 'right' | 'left'; color: string; launcherText: string }> = {
  args: { position: 'right', color: '#4f46e5', launcherText: '' },
  argTypes: { position: { control: 'inline-radio', options: ['right', 'left'] }, color: { control: 'color' } },
  render: ({ position, color, launcherText }) => {
    document.querySelector('charla-widget')?.remove();
    delete window.Charla;
    const widget = createWidget({
      ...readOptions(null, { workspace: 'demo', server: 'http://127.0.0.1:9' }),
      position,
      color,
      launcherText: launcherText || undefined,
    });
    widget.mount();
    return html`<p style="padding: 24px; color: var(--charla-color-text-muted)">The launcher sits in the page's ${position} corner.</p>`;
  },
};

