import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '@charla/elements';
import type { DashboardData, DashboardStatus } from '@charla/elements';
import { DASHBOARD_NOW, dashboardData, emptyDashboardData } from '../tests/fixtures/dashboard.js';
import { b2b, shop } from '../tests/fixtures/deals.js';

interface Args {
  data: DashboardData | null;
  status: DashboardStatus;
  hours: 'wall' | 'business';
}

const meta: Meta<Args> = {
  title: 'Agent/Dashboard',
  component: 'charla-dashboard',
  args: { data: dashboardData(40), status: 'ready', hours: 'wall' },
  render: (args) =>
    html`<charla-dashboard .data=${args.data} status=${args.status} hours=${args.hours} .pipelines=${[b2b, shop]} .now=${DASHBOARD_NOW}></charla-dashboard>`,
};
export default meta;

type Story = StoryObj<Args>;

/**
 * A month of a wholesale pipeline: 40 new leads, six salespeople, a target of MX$250,000; the open
 * pipeline, time in each stage, win rate, lead to close and the service clocks of 120 conversations.
 */
export const Typical: Story = {};
export const Empty: Story = { args: { data: emptyDashboardData() } };
/** Thousands of deals behind the numbers. */
export const Huge: Story = { args: { data: dashboardData(3000, 9_000_000) } };
export const NoTarget: Story = { args: { data: dashboardData(40, null) } };
/** Data from before the dashboard drew the pipeline and service views: only the first three. */
export const FirstThreeViews: Story = {
  args: { data: (({ funnel, ranking, forecast }) => ({ funnel, ranking, forecast }))(dashboardData(40)) },
};
/** A number whose list of deals the server cut short: its drill-down says "Showing 12 of 40". */
export const CappedLists: Story = {
  args: {
    data: (() => {
      const data = dashboardData(40);
      const first = data.pipeline!.stages[0]!;
      data.pipeline!.stages[0] = { ...first, count: first.count + 28 };
      return data;
    })(),
  },
};
export const BusinessHours: Story = { args: { hours: 'business' } };
export const Loading: Story = { args: { data: null, status: 'loading' } };
export const Failed: Story = { args: { data: null, status: 'error' } };
export const Dark: Story = { globals: { theme: 'dark' } };
export const DarkHuge: Story = { args: { data: dashboardData(3000, 9_000_000) }, globals: { theme: 'dark' } };
export const Spanish: Story = { globals: { locale: 'es' } };
export const English: Story = { globals: { locale: 'en' } };
export const Portuguese: Story = { globals: { locale: 'pt' } };
