import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '@charla/elements';
import type { TimelineItem } from '@charla/protocol';
import { timelineItems } from '../tests/fixtures/deals.js';

interface Args {
  items: TimelineItem[];
  hasMore: boolean;
}

const meta: Meta<Args> = {
  title: 'Agent/Timeline',
  component: 'charla-timeline',
  args: { items: timelineItems(), hasMore: false },
  render: (args) => html`<div style="height: 100vh; max-width: 560px">
    <charla-timeline .items=${args.items} ?has-more=${args.hasMore}></charla-timeline>
  </div>`,
};
export default meta;

type Story = StoryObj<Args>;

/** One item of every kind: messages, notes, deal and stage changes, tasks, purchases, payments, invoices, claims, merges. */
export const EveryItemType: Story = {};
export const Empty: Story = { args: { items: [] } };
export const Dark: Story = { globals: { theme: 'dark' } };
export const Spanish: Story = { globals: { locale: 'es' } };
export const English: Story = { globals: { locale: 'en' } };
export const Portuguese: Story = { globals: { locale: 'pt' } };
