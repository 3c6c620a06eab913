import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '@charla/elements';
import type { CharlaInbox, CharlaKanban, CharlaThread } from '@charla/elements';
import type { ContactCommerce } from '@charla/protocol';
import { BOARD_NOW, b2b, boardAgents, deal, manyDeals } from '../tests/fixtures/deals.js';
import { agent, contact, conversation, message, minutesAgo } from '../tests/fixtures/entities.js';

/** What a shop keeps about its customers' orders, shown by the host beside Charla's data. */
const orders = [
  { number: '#1042', total: '$1,250 MXN', state: 'Enviado' },
  { number: '#0987', total: '$640 MXN', state: 'Entregado' },
];

// ------------------------------------------------------------------ kanban: the host's cards

const board = manyDeals(b2b, 24);
const renderCard: CharlaKanban['renderCard'] = (d, _defaultContent, { contactName, owner, stalled, daysInStage }) => html`
  <span style="display: grid; gap: 4px">
    <strong style="overflow: hidden; text-overflow: ellipsis; white-space: nowrap">${d.title}</strong>
    <span style="color: var(--charla-color-text-muted, #5b6777); font-size: var(--charla-font-size-s, 12px)">
      ${contactName ?? 'Sin contacto'} · ${owner?.name ?? 'Sin dueño'}
    </span>
    <span style="display: flex; gap: 6px; font-size: var(--charla-font-size-s, 12px)">
      <span style="padding: 0 6px; border-radius: var(--charla-radius-s, 4px); background: var(--charla-color-primary-soft, #e7f0ff)">
        ${d.probability ?? 0} %
      </span>
      <span style=${stalled ? 'color: var(--charla-color-warning, #8a5c00); font-weight: 600' : ''}>${daysInStage} d</span>
    </span>
  </span>`;

// ------------------------------------------------------------------ thread: an order bubble

const renderMessage: CharlaThread['renderMessage'] = (m, defaultContent) => {
  const order = (m.content as { order?: { number: string; total: string; items: string[] } } | null | undefined)?.order;
  if (!order) return defaultContent;
  return html`<span style="display: grid; gap: 2px">
    <strong>🧾 Pedido ${order.number} · ${order.total}</strong>
    ${order.items.map((item) => html`<span>${item}</span>`)}
  </span>`;
};
const history = [
  message({ id: 'm1', body: 'Hola, ¿ya salió mi pedido?', createdAt: minutesAgo(40) }),
  message({
    id: 'm2', direction: 'out', senderKind: 'agent', senderId: 'ag_ana', senderName: 'Ana García', status: 'read', createdAt: minutesAgo(35),
    body: 'Pedido #1042', content: { order: { number: '#1042', total: '$1,250 MXN', items: ['3 × Chiapas Altura 500 g', '1 × Taza azul'] } },
  }),
  message({ id: 'm3', body: '<img src=x onerror=alert(1)> ¡Gracias!', createdAt: minutesAgo(30) }),
];

// ------------------------------------------------------------------ inbox: compact rows

const renderRow: CharlaInbox['renderRow'] = (c, _defaultContent, { contact: who }) => html`
  <span style="display: grid; gap: 2px; min-width: 0">
    <strong>${who?.name ?? 'Sin nombre'}</strong>
    <span style="overflow: hidden; text-overflow: ellipsis; white-space: nowrap; color: var(--charla-color-text-muted, #5b6777)">
      ${c.lastMessagePreview ?? ''}
    </span>
  </span>
  ${c.unreadCount > 0 ? html`<span style="margin-inline-start: auto; font-weight: 600">${c.unreadCount}</span>` : ''}`;
const inboxConversations = Array.from({ length: 40 }, (_, index) =>
  conversation({ id: `cv_${index}`, contactId: `ct_${index % 3}`, lastMessagePreview: `¿Tienen envío a Monterrey? (${index + 1})`, unreadCount: index % 4 }));
const inboxContacts = [contact({ id: 'ct_0', name: 'María López' }), contact({ id: 'ct_1', name: 'John Carter' }), contact({ id: 'ct_2', name: 'Rui Alves' })];

// ------------------------------------------------------------------ contact panel: an Orders section

const commerce: ContactCommerce = {
  contactId: 'ct_maria', ltv: { MXN: 5780 }, pendingBalance: {}, openInvoices: [], openTasks: [],
  openDeals: [deal({ id: 'd1', pipelineId: b2b.id, stageId: b2b.stages[1]!.id, title: '150 tazas personalizadas', amount: 15000, contactId: 'ct_maria' })],
};
const ordersSection = html`<section slot="section" aria-labelledby="orders" style="font-size: var(--charla-font-size-m, 14px)">
  <h3 id="orders" style="margin: 0 0 8px; font-size: var(--charla-font-size-s, 12px); text-transform: uppercase; letter-spacing: 0.04em; color: var(--charla-color-text-muted, #5b6777)">Pedidos</h3>
  <ul style="margin: 0; padding: 0; list-style: none; display: grid; gap: 6px">
    ${orders.map((order) => html`<li style="display: flex; justify-content: space-between; gap: 8px">
      <span>${order.number} · ${order.state}</span><strong>${order.total}</strong>
    </li>`)}
  </ul>
</section>`;

const meta: Meta = {
  title: 'Agent/Customizing',
  render: () => html`<div style="display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 300px), 1fr)); grid-auto-rows: 600px">
    <charla-inbox style="--charla-inbox-row-height: 60px" .conversations=${inboxConversations} .contacts=${inboxContacts}
      .agents=${[agent()]} .renderRow=${renderRow}></charla-inbox>
    <charla-thread .conversation=${conversation()} .contact=${contact()} .messages=${history} .renderMessage=${renderMessage}></charla-thread>
    <charla-contact-panel contact-id="ct_maria" sections="details deals notes" .contact=${contact({ email: 'maria@cafeslopez.mx' })}
      .commerce=${commerce}>${ordersSection}</charla-contact-panel>
  </div>`,
};
export default meta;

type Story = StoryObj;

/** Compact inbox rows (renderRow), an order bubble (renderMessage; the customer's markup stays text), and an "Orders" section in the contact panel. */
export const InboxThreadAndPanel: Story = {};

/** Cards with probability and days in stage (renderCard, `--charla-kanban-card-height: 84px`); they still drag and move with the keyboard. */
export const KanbanCards: Story = {
  render: () => html`<div style="height: 100vh">
    <charla-kanban style="--charla-kanban-card-height: 84px" .pipelines=${[b2b]} .deals=${board.deals} .agents=${boardAgents}
      .contacts=${board.contacts} .now=${BOARD_NOW} .renderCard=${renderCard}></charla-kanban>
  </div>`,
};
