import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '@charla/elements';
import type { Agent, DirectoryContact } from '@charla/protocol';

const agents = [{ id: 'ag_ana', workspaceId: 'ws', name: 'Ana García', email: 'ana@aurora.test', role: 'agent', avatarUrl: null }] as Agent[];
const person = (id: string, name: string, extra: Partial<DirectoryContact>): DirectoryContact => ({
  id, workspaceId: 'ws', name, email: null, phone: null, avatarUrl: null, companyId: null, identities: [], tags: [], attributes: {},
  createdAt: '2026-11-02T10:00:00.000Z', updatedAt: '2026-11-02T10:00:00.000Z', ownerId: null, companyName: null, ltv: 0,
  lastInteractionAt: null, openDeals: 0, ...extra,
});
const contacts = [
  person('ct_1', 'María López', { phone: '+525512345678', tags: ['mayorista'], ltv: 1840, ownerId: 'ag_ana', lastInteractionAt: '2026-12-05T18:00:00.000Z', openDeals: 1 }),
  person('ct_2', 'Diego Fernández', { email: 'diego@cafemontana.mx', companyName: 'Café Montaña', tags: ['vip'], ltv: 5200, openDeals: 2 }),
  person('ct_3', 'Fernanda Souza', { phone: '+5511987654321', ltv: 120, lastInteractionAt: '2026-09-01T12:00:00.000Z' }),
  person('ct_4', 'Emily Carter', { email: 'emily.carter@example.com', attributes: { plan: 'Pro' } }),
];

interface Args {
  contacts: DirectoryContact[];
}

const meta: Meta<Args> = {
  title: 'Agent/Contacts',
  component: 'charla-contacts',
  args: { contacts },
  render: (args) => html`<div style="height: 420px; display: flex; flex-direction: column">
    <charla-contacts .contacts=${args.contacts} .agents=${agents} currency="MXN"></charla-contacts>
  </div>`,
};
export default meta;

type Story = StoryObj<Args>;

export const Directory: Story = {};
export const Empty: Story = { args: { contacts: [] } };
export const Dark: Story = { globals: { theme: 'dark' } };
export const Spanish: Story = { globals: { locale: 'es' } };
export const Portuguese: Story = { globals: { locale: 'pt' } };
