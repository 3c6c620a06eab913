import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '@charla/elements';
import type { ContactCommerce } from '@charla/protocol';
import { contact, minutesAgo } from '../tests/fixtures/entities.js';
import { answeringClient, gabriela, gabyMerge, gabyOnWhatsapp } from '../tests/fixtures/merge.js';

const maria = contact({
  email: 'maria@cafeslopez.mx',
  identities: [
    { id: 'i1', contactId: 'ct_maria', channel: 'whatsapp', handle: '5215512345678', verified: true },
    { id: 'i2', contactId: 'ct_maria', channel: 'instagram', handle: '17841400000000', verified: false },
    { id: 'i3', contactId: 'ct_maria', channel: 'email', handle: 'maria@cafeslopez.mx', verified: true },
  ],
});
const commerce: ContactCommerce = {
  contactId: 'ct_maria',
  ltv: { MXN: 5780 },
  pendingBalance: { MXN: 1200 },
  openInvoices: [
    { id: 'b1', workspaceId: 'ws', kind: 'invoice', contactId: 'ct_maria', companyId: null, amount: 1500, currency: 'MXN', reference: 'F-1042',
      description: null, dueDate: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10), amountPaid: 300, paid: false,
      invoiceReference: null, occurredAt: minutesAgo(9000), createdAt: minutesAgo(9000) },
  ],
  openDeals: [
    { id: 'd1', workspaceId: 'ws', pipelineId: 'p', stageId: 's', status: 'open', title: '150 tazas personalizadas', amount: 15000, currency: 'MXN',
      probability: 40, expectedCloseDate: null, ownerId: null, contactId: 'ct_maria', companyId: null, conversationId: null, lostReason: null,
      stageEnteredAt: minutesAgo(600), closedAt: null, createdAt: minutesAgo(600), updatedAt: minutesAgo(600) },
  ],
  openTasks: [
    { id: 't1', workspaceId: 'ws', title: 'Enviar muestra de color', dueAt: minutesAgo(-1440), ownerId: null, done: false, doneAt: null,
      contactId: 'ct_maria', companyId: null, dealId: 'd1', conversationId: null, rule: null, createdAt: minutesAgo(60), updatedAt: minutesAgo(60) },
  ],
};
const notes = [
  { id: 'n1', workspaceId: 'ws', contactId: 'ct_maria', authorId: null, body: 'Prefiere pagar con transferencia.', createdAt: minutesAgo(30) },
  { id: 'n2', workspaceId: 'ws', contactId: 'ct_maria', authorId: null, body: 'Cliente desde 2023; compra cada mes.', createdAt: minutesAgo(9000) },
];

const meta: Meta = {
  title: 'Agent/Contact panel',
  component: 'charla-contact-panel',
  args: { readonly: false },
  render: (args) => html`<div style="height: 100vh; width: 320px">
    <charla-contact-panel
      contact-id="ct_maria"
      ?readonly=${args.readonly}
      .contact=${args.contact === undefined ? maria : args.contact}
      .company=${{ id: 'co', workspaceId: 'ws', name: 'Cafés López', domain: 'cafeslopez.mx' }}
      .commerce=${args.commerce === undefined ? commerce : args.commerce}
      .notes=${args.notes ?? notes}
    ></charla-contact-panel>
  </div>`,
};
export default meta;

type Story = StoryObj;

export const Customer: Story = {};
export const NewLead: Story = {
  args: {
    contact: contact({ name: null, phone: null, identities: [{ id: 'i', contactId: 'ct_maria', channel: 'webchat', handle: 'vis_1', verified: false }] }),
    commerce: { contactId: 'ct_maria', ltv: {}, pendingBalance: {}, openInvoices: [], openDeals: [], openTasks: [] },
    notes: [],
  },
};
export const Loading: Story = { args: { contact: null } };
export const ReadOnly: Story = { args: { readonly: true } };
export const English: Story = { globals: { locale: 'en' } };
export const Portuguese: Story = { globals: { locale: 'pt' } };
export const Dark: Story = { globals: { theme: 'dark' } };

/** With a client (answering as the server would): Gabriela's possible duplicate, a merge to undo. */
const withClient = (options: Parameters<typeof answeringClient>[0], contactId = 'ct_gabriela') => html`<div style="height: 100vh; width: 320px">
  <charla-contact-panel contact-id=${contactId} .client=${answeringClient(options).client}></charla-contact-panel>
</div>`;

export const PossibleDuplicates: Story = {
  render: () => withClient({ duplicates: [{ contact: gabriela, other: gabyOnWhatsapp, signal: 'similar_name' }] }),
};
/** The preview an agent confirms: what moves and how each conflicting value is kept. */
export const MergePreview: Story = {
  render: () => withClient({ duplicates: [{ contact: gabriela, other: gabyOnWhatsapp, signal: 'similar_name' }] }),
  play: async ({ canvasElement }) => {
    const panel = canvasElement.querySelector('charla-contact-panel')!;
    for (let i = 0; i < 100 && !panel.shadowRoot?.querySelector('[part~="duplicates"] button'); i += 1) await new Promise((r) => setTimeout(r, 20));
    panel.shadowRoot?.querySelector<HTMLButtonElement>('[part~="duplicates"] button')?.click();
  },
};
export const MergePreviewDark: Story = { ...MergePreview, globals: { theme: 'dark' } };
export const MergePreviewSpanish: Story = { ...MergePreview, globals: { locale: 'es' } };
/** A merged contact offers "undo merge" for 30 days. */
export const UndoMerge: Story = { render: () => withClient({ merges: [gabyMerge] }) };
/** An unknown WhatsApp sender: link them to an existing contact. */
export const LinkUnknownSender: Story = { render: () => withClient({}, 'ct_gaby') };

