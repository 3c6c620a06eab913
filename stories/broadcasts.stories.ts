import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '@charla/elements';
import type { Broadcast } from '@charla/protocol';

const counts = (over: Partial<Broadcast['counts']>): Broadcast['counts'] => ({
  queued: 0, sending: 0, sent: 0, delivered: 0, read: 0, replied: 0, failed: 0, skipped: 0, canceled: 0, total: 0, ...over,
});
const broadcast = (id: string, name: string, extra: Partial<Broadcast>): Broadcast => ({
  id, workspaceId: 'ws', name, template: { name: 'order_update', language: 'es_MX' }, parameters: [{ field: 'firstName', fallback: 'cliente' }, { text: 'P-77' }],
  body: 'Hola {{1}}, tu pedido {{2}} está en camino.', state: 'done', scheduledAt: null, createdBy: 'ag_ana', createdAt: '2026-12-05T10:00:00.000Z',
  startedAt: '2026-12-05T10:00:00.000Z', finishedAt: '2026-12-05T10:02:00.000Z', canceledAt: null, counts: counts({}), ...extra,
});
const broadcasts = [
  broadcast('bc_1', 'Seguimiento de cotizaciones', { state: 'sending', counts: counts({ queued: 420, sent: 310, delivered: 220, read: 130, replied: 12, failed: 3, skipped: 18, total: 1113 }) }),
  broadcast('bc_2', 'Envío gratis en diciembre', { state: 'scheduled', scheduledAt: '2026-12-10T15:00:00.000Z', counts: counts({ queued: 950, skipped: 41, total: 991 }) }),
  broadcast('bc_3', 'Pedidos de noviembre', { counts: counts({ sent: 40, delivered: 260, read: 512, replied: 38, failed: 6, skipped: 22, total: 878 }) }),
];

interface Args {
  broadcasts: Broadcast[];
}

const meta: Meta<Args> = {
  title: 'Agent/Broadcasts',
  component: 'charla-broadcasts',
  args: { broadcasts },
  render: (args) => html`<div style="height: 420px"><charla-broadcasts .broadcasts=${args.broadcasts}></charla-broadcasts></div>`,
};
export default meta;

type Story = StoryObj<Args>;

export const List: Story = {};
export const Empty: Story = { args: { broadcasts: [] } };
export const Dark: Story = { globals: { theme: 'dark' } };
export const Spanish: Story = { globals: { locale: 'es' } };
export const Portuguese: Story = { globals: { locale: 'pt' } };
