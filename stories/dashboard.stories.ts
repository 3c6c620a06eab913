import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '@charla/elements';
import type { DashboardData, DashboardStatus } from '@charla/elements';
import { DASHBOARD_NOW, dashboardData, emptyDashboardData } from '../tests/fixtures/dashboard.js';
import { b2b, shop } from '../tests/fixtures/deals.js';

interface Args {
  data: DashboardData | null;
  status: DashboardStatus;
}

const meta: Meta<Args> = {
  title: 'Agent/Dashboard',
  component: 'charla-dashboard',
  args: { data: dashboardData(40), status: 'ready' },
  render: (args) => html`<charla-dashboard .data=${args.data} status=${args.status} .pipelines=${[b2b, shop]} .now=${DASHBOARD_NOW}></charla-dashboard>`,
};
export default meta;

type Story = StoryObj<Args>;

/** A month of a wholesale pipeline: 40 new leads, six salespeople, a target of MX$250,000. */
export const Typical: Story = {};
export const Empty: Story = { args: { data: emptyDashboardData() } };
/** Thousands of deals behind the numbers. */
export const Huge: Story = { args: { data: dashboardData(3000, 9_000_000) } };
export const NoTarget: Story = { args: { data: dashboardData(40, null) } };
export const Loading: Story = { args: { data: null, status: 'loading' } };
export const Failed: Story = { args: { data: null, status: 'error' } };
export const Dark: Story = { globals: { theme: 'dark' } };
export const Spanish: Story = { globals: { locale: 'es' } };
export const English: Story = { globals: { locale: 'en' } };
export const Portuguese: Story = { globals: { locale: 'pt' } };
