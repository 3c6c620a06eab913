import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '@charla/elements';
import type { Deal, Pipeline } from '@charla/protocol';
import { BOARD_NOW, b2b, boardAgents, manyDeals, renewals, shop } from '../tests/fixtures/deals.js';

// 500 deals over three pipelines: 300 wholesale, 150 shop, 50 renewals.
const seeded = [manyDeals(b2b, 300), manyDeals(shop, 150), manyDeals(renewals, 50)];
const allDeals = seeded.flatMap((part) => part.deals);
const allContacts = seeded.flatMap((part) => part.contacts);
const openTasks = Object.fromEntries(allDeals.filter((_, index) => index % 4 === 0).map((deal, index) => [deal.id, (index % 3) + 1]));

interface Args {
  pipelines: Pipeline[];
  pipelineId: string;
  deals: Deal[];
}

const meta: Meta<Args> = {
  title: 'Agent/Kanban',
  component: 'charla-kanban',
  args: { pipelines: [b2b, shop, renewals], pipelineId: b2b.id, deals: allDeals },
  render: (args) => html`<div style="height: 100vh">
    <charla-kanban
      pipeline-id=${args.pipelineId}
      .pipelines=${args.pipelines}
      .deals=${args.deals}
      .agents=${boardAgents}
      .contacts=${allContacts}
      .openTasks=${openTasks}
      .now=${BOARD_NOW}
    ></charla-kanban>
  </div>`,
};
export default meta;

type Story = StoryObj<Args>;

/** Three pipelines and 500 deals; long columns render only their visible cards. */
export const ThreePipelines: Story = {};
export const Shop: Story = { args: { pipelineId: shop.id } };
export const EmptyPipeline: Story = { args: { deals: [] } };
export const NoPipelines: Story = { args: { pipelines: [], deals: [] } };
export const Dark: Story = { globals: { theme: 'dark' } };
/** In 390 px the board shows one stage at a time: previous/next, ←/→ on them, or a swipe. */
export const Phone: Story = {
  render: (args) => html`<div style="height: 100vh; width: 390px; max-width: 100%">${meta.render!(args, {} as never)}</div>`,
};
export const Spanish: Story = { globals: { locale: 'es' } };
export const English: Story = { globals: { locale: 'en' } };
export const Portuguese: Story = { globals: { locale: 'pt' } };
