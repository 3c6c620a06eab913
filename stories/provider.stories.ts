import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '@charla/elements';

/**
 * `<charla-provider>` connects every Charla element inside it to a server. Run `npm start` and
 * paste the admin token it prints to see live data here.
 */
const meta: Meta = {
  title: 'Agent/Provider',
  component: 'charla-provider',
  args: { url: 'http://localhost:3000', token: '' },
  render: (args) => html`<charla-provider url=${args.url} token=${args.token}>
    <div style="height: 100vh; display: grid; grid-template-columns: 360px 1fr">
      <charla-inbox @charla-conversation-select=${(event: CustomEvent<{ conversationId: string }>) => {
        const thread = document.querySelector('charla-thread');
        if (thread) thread.conversationId = event.detail.conversationId;
      }}></charla-inbox>
      <charla-thread></charla-thread>
    </div>
  </charla-provider>`,
};
export default meta;

export const LiveServer: StoryObj = {};
