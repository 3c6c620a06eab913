/**
 * The demo workspace's sales side: a consultative B2B pipeline for wholesale and a short
 * ecommerce one, with deals, tasks, purchases, invoices and payments of the demo contacts, so
 * the board, the agenda and the contact's lifetime value show real data. Seeded once (when the
 * workspace has no pipeline yet), also into demo databases created before pipelines existed.
 */
import type { Agent, BusinessEvent, Contact, Deal, Pipeline, Workspace } from '@charla/protocol';
import { newId } from './ids.js';
import { saveAutomationIn } from './services/automation.js';
import { insertPipeline, type Actor } from './services/deals.js';
import type { Store, StoreScope } from './store/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface DemoDeal {
  contact: string;
  pipeline: 'b2b' | 'shop';
  stage: string;
  title: string;
  amount: number;
  currency: string;
  owner: 'Ana' | 'Bruno';
  /** How long ago it entered its stage, in days, and how long before that it was created. */
  inStageDays: number;
  ageDays: number;
  lostReason?: string;
}

const DEALS: DemoDeal[] = [
  { contact: 'María López', pipeline: 'b2b', stage: 'Propuesta enviada', title: '20 tazas de cerámica esmalte azul', amount: 5202, currency: 'MXN', owner: 'Ana', inStageDays: 1, ageDays: 2 },
  { contact: 'Diego Fernández', pipeline: 'b2b', stage: 'Negociación', title: 'Café Montaña: 150 tazas + 40 prensas', amount: 61350, currency: 'MXN', owner: 'Bruno', inStageDays: 9, ageDays: 14 },
  { contact: 'Valentina Gómez', pipeline: 'b2b', stage: 'Calificado', title: 'Estudio Pampa: regalos corporativos fin de año', amount: 480000, currency: 'ARS', owner: 'Ana', inStageDays: 3, ageDays: 6 },
  { contact: 'Emily Carter', pipeline: 'b2b', stage: 'Nuevo lead', title: 'Boutique hotel amenities (Austin)', amount: 3200, currency: 'USD', owner: 'Ana', inStageDays: 0.2, ageDays: 0.2 },
  { contact: 'Ricardo Torres', pipeline: 'b2b', stage: 'Ganado', title: 'Restaurante Torres: vajilla completa', amount: 18900, currency: 'MXN', owner: 'Bruno', inStageDays: 1, ageDays: 20 },
  { contact: 'Lucas Almeida', pipeline: 'b2b', stage: 'Perdido', title: 'Loja no Rio: consignação', amount: 9000, currency: 'BRL', owner: 'Bruno', inStageDays: 2, ageDays: 12, lostReason: 'Buscaba venta en consignación' },
  { contact: 'Fernanda Souza', pipeline: 'shop', stage: 'Interesado', title: 'Mochila de couro', amount: 689, currency: 'BRL', owner: 'Bruno', inStageDays: 0.1, ageDays: 0.1 },
  { contact: 'Sofía Martínez', pipeline: 'shop', stage: 'Carrito', title: 'Vestido de lino talla M', amount: 1450, currency: 'MXN', owner: 'Ana', inStageDays: 0.3, ageDays: 0.4 },
  { contact: 'Julián Pérez', pipeline: 'shop', stage: 'Pago pendiente', title: 'Dos mantas de lana', amount: 64000, currency: 'ARS', owner: 'Bruno', inStageDays: 2, ageDays: 2.1 },
  { contact: 'Ana Paula Ribeiro', pipeline: 'shop', stage: 'Ganado', title: 'Kit de velas aromáticas', amount: 219, currency: 'BRL', owner: 'Bruno', inStageDays: 3, ageDays: 4 },
];

interface DemoTask {
  contact: string;
  title: string;
  /** Hours from now (negative: overdue); null: undated. */
  dueInHours: number | null;
  owner: 'Ana' | 'Bruno';
  deal?: string;
}

const TASKS: DemoTask[] = [
  { contact: 'María López', title: 'Enviar la cotización de las 20 tazas', dueInHours: -2, owner: 'Ana', deal: '20 tazas de cerámica esmalte azul' },
  { contact: 'Diego Fernández', title: 'Confirmar pago a 30 días con administración', dueInHours: 3, owner: 'Bruno', deal: 'Café Montaña: 150 tazas + 40 prensas' },
  { contact: 'Camilo Rodríguez', title: 'Reponer el jarrón roto del pedido #4821', dueInHours: -20, owner: 'Ana' },
  { contact: 'Valentina Gómez', title: 'Emitir factura A del pedido #4755', dueInHours: 26, owner: 'Ana' },
  { contact: 'Ricardo Torres', title: 'Confirmar la transferencia recibida', dueInHours: 1, owner: 'Bruno' },
  { contact: 'Julián Pérez', title: 'Mandar link de pago de las mantas', dueInHours: 50, owner: 'Bruno', deal: 'Dos mantas de lana' },
  { contact: 'Emily Carter', title: 'Enviar el catálogo de mayoreo', dueInHours: null, owner: 'Ana', deal: 'Boutique hotel amenities (Austin)' },
];

interface DemoMoney {
  contact: string;
  kind: BusinessEvent['kind'];
  amount: number;
  currency: string;
  reference: string;
  daysAgo: number;
  description?: string;
  dueInDays?: number;
  paid?: boolean;
  invoiceReference?: string;
}

const MONEY: DemoMoney[] = [
  { contact: 'María López', kind: 'purchase', amount: 1734, currency: 'MXN', reference: 'ORD-4610', daysAgo: 60, description: '6 tazas artesanales' },
  { contact: 'María López', kind: 'purchase', amount: 890, currency: 'MXN', reference: 'ORD-4702', daysAgo: 21, description: 'Prensa francesa 1 L' },
  { contact: 'Diego Fernández', kind: 'purchase', amount: 12400, currency: 'MXN', reference: 'ORD-4433', daysAgo: 95, description: 'Pedido piloto sucursal Chapultepec' },
  { contact: 'Diego Fernández', kind: 'invoice', amount: 12400, currency: 'MXN', reference: 'FAC-0912', daysAgo: 95, dueInDays: -65, paid: true },
  { contact: 'Diego Fernández', kind: 'invoice', amount: 18900, currency: 'MXN', reference: 'FAC-1033', daysAgo: 12, dueInDays: 18 },
  { contact: 'Diego Fernández', kind: 'payment', amount: 8900, currency: 'MXN', reference: 'PAY-3381', daysAgo: 5, invoiceReference: 'FAC-1033' },
  { contact: 'Camilo Rodríguez', kind: 'purchase', amount: 2150, currency: 'MXN', reference: 'ORD-4821', daysAgo: 6, description: 'Jarrón de talavera' },
  { contact: 'Camilo Rodríguez', kind: 'claim', amount: 2150, currency: 'MXN', reference: 'REC-0077', daysAgo: 0.2, description: 'El jarrón llegó roto' },
  { contact: 'Emily Carter', kind: 'purchase', amount: 86, currency: 'USD', reference: 'ORD-4790', daysAgo: 8, description: 'Ceramic mugs (2)' },
  { contact: 'Valentina Gómez', kind: 'purchase', amount: 152000, currency: 'ARS', reference: 'ORD-4755', daysAgo: 4, description: 'Mantas y cojines' },
  { contact: 'Valentina Gómez', kind: 'invoice', amount: 152000, currency: 'ARS', reference: 'FAC-A-0031', daysAgo: 3, dueInDays: -1 },
  { contact: 'Ricardo Torres', kind: 'purchase', amount: 18900, currency: 'MXN', reference: 'ORD-4840', daysAgo: 1, description: 'Vajilla completa' },
  { contact: 'Ana Paula Ribeiro', kind: 'purchase', amount: 219, currency: 'BRL', reference: 'ORD-4731', daysAgo: 3, description: 'Kit de velas aromáticas' },
];

const PIPELINES = {
  b2b: {
    name: 'Mayoreo B2B',
    stages: [
      { name: 'Nuevo lead', probability: 10, stalledAfterDays: 3 },
      { name: 'Calificado', probability: 20, stalledAfterDays: 7 },
      { name: 'Reunión', probability: 35, stalledAfterDays: 7 },
      { name: 'Propuesta enviada', probability: 50, stalledAfterDays: 5 },
      { name: 'Negociación', probability: 70, stalledAfterDays: 7 },
      { name: 'Compromiso', probability: 90, stalledAfterDays: 5 },
    ],
    wonStageName: 'Ganado',
    lostStageName: 'Perdido',
  },
  shop: {
    name: 'Tienda en línea',
    stages: [
      { name: 'Interesado', probability: 20, stalledAfterDays: 2 },
      { name: 'Carrito', probability: 50, stalledAfterDays: 2 },
      { name: 'Pago pendiente', probability: 80, stalledAfterDays: 3 },
    ],
    wonStageName: 'Ganado',
    lostStageName: 'Perdido',
  },
};

const iso = (ms: number) => new Date(ms).toISOString();

async function seedDeal(scope: StoreScope, spec: DemoDeal, pipeline: Pipeline, contact: Contact, owner: Agent, now: number): Promise<Deal> {
  const stage = pipeline.stages.find((candidate) => candidate.name === spec.stage);
  if (!stage) throw new Error(`The demo pipeline has no stage ${spec.stage}`);
  const createdAt = iso(now - spec.ageDays * DAY);
  const enteredAt = iso(now - spec.inStageDays * DAY);
  const conversationId = (await scope.conversations.idsOfContact(contact.workspaceId, contact.id))[0] ?? null;
  const deal: Deal = {
    id: newId('dl'), workspaceId: contact.workspaceId, pipelineId: pipeline.id, stageId: stage.id, status: stage.kind,
    title: spec.title, amount: spec.amount, currency: spec.currency, probability: stage.probability, expectedCloseDate: null,
    ownerId: owner.id, contactId: contact.id, companyId: contact.companyId, conversationId, lostReason: spec.lostReason ?? null,
    stageEnteredAt: enteredAt, closedAt: stage.kind === 'open' ? null : enteredAt, createdAt, updatedAt: enteredAt,
  };
  await scope.deals.insertDeal(deal);
  // The stages it went through, evenly spread between its creation and its current stage.
  const path = pipeline.stages.filter((candidate) => candidate.kind === 'open' && candidate.position < stage.position);
  const steps = stage.kind === 'open' ? path : path.slice(0, Math.max(1, path.length - 1));
  const span = (spec.ageDays - spec.inStageDays) * DAY;
  for (const [index, visited] of steps.entries()) {
    await scope.deals.recordStageVisit(deal, newId('sv'), {
      stageId: visited.id, enteredAt: iso(now - spec.ageDays * DAY + (span * index) / Math.max(1, steps.length)), actorId: owner.id, rule: null,
    });
  }
  await scope.deals.recordStageVisit(deal, newId('sv'), { stageId: stage.id, enteredAt, actorId: owner.id, rule: null });
  return deal;
}

/** Seeds the demo's pipelines, deals, tasks and business events unless the workspace has pipelines. */
export async function seedDemoDeals(store: Store, workspace: Workspace): Promise<void> {
  if ((await store.deals.pipelines(workspace.id)).length > 0) return;
  const agents = await store.workspaces.agents(workspace.id);
  const owner = (first: 'Ana' | 'Bruno'): Agent => {
    const agent = agents.find((candidate) => candidate.name.startsWith(first));
    if (!agent) throw new Error(`The demo workspace has no agent ${first}`);
    return agent;
  };
  const contacts = new Map(
    (await store.contacts.list(workspace.id, { limit: 500 })).map((contact) => [contact.name, contact] as const),
  );
  const contact = (name: string): Contact => {
    const found = contacts.get(name);
    if (!found) throw new Error(`The demo workspace has no contact ${name}`);
    return found;
  };
  const now = Date.now();
  const system: Actor = { workspaceId: workspace.id, agentId: null, rule: null };
  await store.transaction(async (scope) => {
    const pipelines = {
      b2b: await insertPipeline(scope, system.workspaceId, PIPELINES.b2b, iso(now - 30 * DAY)),
      shop: await insertPipeline(scope, system.workspaceId, PIPELINES.shop, iso(now - 30 * DAY)),
    };
    // Wholesale follows the conversation: label it "calificado" for a deal, a quote moves it on.
    const b2bStage = (name: string) => pipelines.b2b.stages.find((stage) => stage.name === name)!.id;
    await saveAutomationIn(scope, workspace.id, pipelines.b2b.id, {
      qualifyLabel: 'calificado', quoteTriggers: ['cotización', 'cotizacion', 'orçamento', 'quote'],
      proposalStageId: b2bStage('Propuesta enviada'), negotiationStageId: b2bStage('Negociación'),
      followUpHours: 48, reactivateAfterDays: 7, currency: 'MXN',
    });
    const deals = new Map<string, Deal>();
    for (const spec of DEALS) {
      deals.set(spec.title, await seedDeal(scope, spec, pipelines[spec.pipeline], contact(spec.contact), owner(spec.owner), now));
    }
    for (const spec of TASKS) {
      const of = contact(spec.contact);
      const deal = spec.deal ? deals.get(spec.deal) : undefined;
      const createdAt = iso(now - 2 * DAY);
      await scope.deals.insertTask({
        id: newId('tk'), workspaceId: workspace.id, title: spec.title,
        dueAt: spec.dueInHours === null ? null : iso(now + spec.dueInHours * HOUR), ownerId: owner(spec.owner).id,
        done: false, doneAt: null, contactId: of.id, companyId: of.companyId, dealId: deal?.id ?? null,
        conversationId: deal?.conversationId ?? (await scope.conversations.idsOfContact(workspace.id, of.id))[0] ?? null,
        rule: null, createdAt, updatedAt: createdAt,
      });
    }
    const paidByInvoice = new Map<string, number>();
    for (const spec of MONEY) if (spec.invoiceReference) paidByInvoice.set(spec.invoiceReference, (paidByInvoice.get(spec.invoiceReference) ?? 0) + spec.amount);
    for (const spec of MONEY) {
      const of = contact(spec.contact);
      const at = iso(now - spec.daysAgo * DAY);
      const amountPaid = spec.paid ? spec.amount : (paidByInvoice.get(spec.reference) ?? 0);
      await scope.deals.insertBusinessEvent({
        id: newId('be'), workspaceId: workspace.id, kind: spec.kind, contactId: of.id, companyId: of.companyId,
        amount: spec.amount, currency: spec.currency, reference: spec.reference, description: spec.description ?? null,
        dueDate: spec.dueInDays === undefined ? null : iso(now + spec.dueInDays * DAY).slice(0, 10),
        amountPaid: spec.kind === 'invoice' ? amountPaid : 0, paid: spec.kind === 'invoice' && amountPaid >= spec.amount,
        invoiceReference: spec.invoiceReference ?? null, occurredAt: at, createdAt: at,
      });
    }
    // What the shop spent on ads this month and the last, for the dashboard's acquisition cost.
    const thisMonth = iso(now).slice(0, 7);
    const lastMonth = iso(Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth() - 1, 15)).slice(0, 7);
    for (const [channel, campaign, month, amount] of SPEND) {
      await scope.deals.spend.save(workspace.id, { channel, campaign, month: month === 'this' ? thisMonth : lastMonth, currency: 'MXN', amount_cents: amount * 100 }, null, iso(now));
    }
  });
}

/** Ad spend of the demo shop: channel, campaign, this or last month, MXN. */
const SPEND: ReadonlyArray<readonly [string, string, 'this' | 'last', number]> = [
  ['whatsapp', 'Temporada de regalos', 'this', 4_500],
  ['whatsapp', 'Temporada de regalos', 'last', 3_800],
  ['instagram', '', 'this', 2_500],
  ['instagram', '', 'last', 2_200],
];
