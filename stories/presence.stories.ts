import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '@charla/elements';
import type { PresenceMap } from '@charla/protocol';
import { presenceAgents, presenceMap } from '../tests/fixtures/presence.js';

interface Args {
  meId: string;
  presence: PresenceMap;
  hideTeam: boolean;
}

const meta: Meta<Args> = {
  title: 'Agent/Presence',
  component: 'charla-presence',
  args: { meId: 'ag_ana', presence: presenceMap, hideTeam: false },
  render: (args) =>
    html`<div style="max-width: 260px">
      <charla-presence me-id=${args.meId} ?hide-team=${args.hideTeam} .agents=${presenceAgents} .presence=${args.presence}></charla-presence>
    </div>`,
};
export default meta;

type Story = StoryObj<Args>;

/** Available, with two teammates available, one away and one offline. */
export const Typical: Story = {};
/** Away: routing gives no new conversations; the picker says so. */
export const Away: Story = { args: { meId: 'ag_bruno' } };
/** Nobody else connected. */
export const Alone: Story = { args: { presence: { ag_ana: 'online' } } };
/** Only the picker, for a toolbar. */
export const PickerOnly: Story = { args: { hideTeam: true } };
export const Dark: Story = { globals: { theme: 'dark' } };
export const Spanish: Story = { globals: { locale: 'es' } };
export const English: Story = { globals: { locale: 'en' } };
export const Portuguese: Story = { globals: { locale: 'pt' } };
