import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '@charla/elements';
import type { ContactInsights } from '@charla/protocol';
import { contactInsights } from '../tests/fixtures/ai.js';
import { contact, conversation, message, minutesAgo } from '../tests/fixtures/entities.js';

/** AI insights in the contact panel and suggested replies in the composer, in data mode. */
const meta: Meta = {
  title: 'Agent/AI insights',
  component: 'charla-contact-panel',
  render: (args) => html`<div style="display: grid; grid-template-columns: minmax(0, 1fr) 320px; height: 100vh">
    <charla-thread
      conversation-id="cv_1"
      .conversation=${conversation()}
      .contact=${contact()}
      .messages=${[
        message({ id: 'msg_1', body: 'Hola, soy la dueña de Cafés López. ¿Cuánto cuestan 150 tazas personalizadas?', createdAt: minutesAgo(12) }),
        message({ id: 'msg_2', direction: 'out', senderKind: 'agent', senderName: 'Ana García', body: '¡Hola María! Depende del diseño, ¿qué presupuesto tienes?', status: 'read', createdAt: minutesAgo(10) }),
        message({ id: 'msg_3', body: 'Tengo unos $15,000 MXN de presupuesto, pero lo decidiría el mes que viene', createdAt: minutesAgo(6) }),
        message({ id: 'msg_4', body: 'Mi correo es maria@cafeslopez.mx, ahí me mandas la cotización', createdAt: minutesAgo(5) }),
      ]}
      .replySuggestions=${args.replySuggestions ?? []}
    ></charla-thread>
    <charla-contact-panel
      contact-id="ct_maria"
      .contact=${contact({ email: 'maria@cafeslopez.mx' })}
      .insights=${args.insights === undefined ? contactInsights() : args.insights}
    ></charla-contact-panel>
  </div>`,
};
export default meta;

type Story = StoryObj<{ insights?: ContactInsights | null; replySuggestions?: string[] }>;

export const Qualified: Story = {};
export const WithReplySuggestions: Story = {
  args: {
    replySuggestions: [
      'Entiendo, María. ¿Para qué fecha las necesitarías? Así te reservo disponibilidad y precio.',
      'Te preparo la cotización de 150 tazas personalizadas y te la envío en unos minutos.',
      '¡Gracias, María! Quedo atenta a cualquier duda.',
    ],
  },
};
export const Complaint: Story = {
  args: {
    insights: contactInsights({
      summary: 'Hice un pedido hace 10 días y todavía no me ha llegado. La verdad pésimo servicio, quiero un reembolso.',
      sentiment: 'negative',
      sentimentTrend: 'worsening',
      topics: ['complaint', 'shipping', 'order'],
      nextAction: 'Disculparse, resolver el problema y confirmar la solución.',
      qualification: {
        bant: { budget: null, authority: null, need: null, timing: null },
        score: 0, intent: 'low', objection: null, recommendation: 'resolve_issue',
        verdict: 'Low intent — no objection yet — recommend resolving the issue first', qualified: false, dealId: null,
      },
    }),
  },
};
export const Analyzing: Story = { args: { insights: contactInsights({ status: 'pending' }) } };
export const Failed: Story = { args: { insights: contactInsights({ status: 'failed', error: 'The AI provider timed out' }) } };
export const NotAnalyzedYet: Story = { args: { insights: { contactId: 'ct_maria', insight: null, filledFields: [] } } };
export const English: Story = { globals: { locale: 'en' } };
export const Portuguese: Story = { globals: { locale: 'pt' } };
export const Dark: Story = { globals: { theme: 'dark' }, args: WithReplySuggestions.args };
