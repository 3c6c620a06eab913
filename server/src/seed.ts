/**
 * The demo workspace "Tienda Aurora": a small online shop selling across Latin America, with a
 * few days of conversations on every channel. Seeded once; the admin's token is renewed on every
 * demo start so it can be printed.
 */
import { randomBytes } from 'node:crypto';
import {
  DEFAULT_ROUTING,
  agentAuthSchema,
  type Agent, type Channel, type Contact, type ConversationStatus, type DeliveryStatus, type Priority,
} from '@charla/protocol';
import { newId } from './ids.js';
import { seedDemoDeals } from './seed-deals.js';
import { afterMessage, newContact, newConversation, newMessage } from './services/entities.js';
import { createWorkspace, rotateAgentToken } from './services/workspaces.js';
import type { Store, StoreScope } from './store/index.js';

export const DEMO_WIDGET_KEY = 'demo';
const ADMIN_EMAIL = 'ana@tiendaaurora.mx';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Who wrote a line of a demo thread: the customer, an agent (by first name), or an agent's private note. */
type Line =
  | { at: number; from: 'customer'; text: string }
  | { at: number; from: 'Ana' | 'Bruno'; text: string; note?: true };

interface DemoConversation {
  channel: Channel;
  status: ConversationStatus;
  priority?: Priority;
  assignee?: 'Ana' | 'Bruno';
  labels?: string[];
  /** `at` is how long ago, in milliseconds. */
  lines: Line[];
}

interface DemoContact {
  name: string | null;
  email?: string;
  phone?: string;
  company?: 'cafe' | 'pampa';
  identities: Array<{ channel: Channel; handle: string }>;
  note?: string;
  conversations: DemoConversation[];
}

const c = (hoursAgo: number, text: string): Line => ({ at: hoursAgo * HOUR, from: 'customer', text });
const ana = (hoursAgo: number, text: string): Line => ({ at: hoursAgo * HOUR, from: 'Ana', text });
const bruno = (hoursAgo: number, text: string): Line => ({ at: hoursAgo * HOUR, from: 'Bruno', text });
const note = (who: 'Ana' | 'Bruno', hoursAgo: number, text: string): Line => ({ at: hoursAgo * HOUR, from: who, text, note: true });

const DEMO_CONTACTS: DemoContact[] = [
  {
    name: 'María López',
    phone: '+525512345678',
    identities: [{ channel: 'whatsapp', handle: '5215512345678' }],
    note: 'Compra para su cafetería en la Roma. Prefiere que le escriban por la tarde.',
    conversations: [{
      channel: 'whatsapp', status: 'open', priority: 'high', assignee: 'Ana', labels: ['cotización'],
      lines: [
        c(26, 'Hola, buenas tardes. ¿Cuánto cuestan las tazas de cerámica artesanal?'),
        ana(25.8, '¡Hola María! Las tazas de 350 ml cuestan $289 MXN cada una. ¿Cuántas necesitas?'),
        c(25.5, 'Serían 20 para mi cafetería. ¿Me pueden hacer una cotización con envío a CDMX?'),
        ana(25.2, 'Claro, te preparo la cotización hoy mismo. Por volumen tenemos 10% de descuento.'),
        note('Ana', 25.1, 'Confirmar con bodega si hay 20 piezas del esmalte azul antes de cotizar.'),
        c(0.6, 'Hola, ¿ya tienen lista la cotización? Quisiera hacer el pedido esta semana 🙏'),
      ],
    }],
  },
  {
    name: 'Julián Pérez',
    phone: '+5491123456789',
    identities: [{ channel: 'whatsapp', handle: '5491123456789' }],
    conversations: [{
      channel: 'whatsapp', status: 'pending', priority: 'medium', assignee: 'Bruno', labels: ['envío'],
      lines: [
        c(50, 'Buenas! ¿Hacen envíos a Córdoba capital? ¿Cuánto tarda?'),
        bruno(49.5, 'Hola Julián, sí: a Córdoba llega en 4 a 6 días hábiles por Andreani. El envío cuesta $8.500 ARS.'),
        c(49, 'Dale, ¿y si compro dos mantas el envío sale lo mismo?'),
        bruno(48.7, 'Sí, hasta 5 kg el costo es el mismo. Te paso el link de pago cuando me confirmes los colores.'),
      ],
    }],
  },
  {
    name: 'Fernanda Souza',
    phone: '+5511987654321',
    identities: [{ channel: 'whatsapp', handle: '5511987654321' }],
    conversations: [{
      channel: 'whatsapp', status: 'open', labels: ['novo cliente'],
      lines: [
        c(3.2, 'Oi! Vi a mochila de couro no Instagram de vocês. Qual é o preço?'),
        c(3.1, 'Vocês entregam em São Paulo? Preciso até sexta-feira.'),
      ],
    }],
  },
  {
    name: 'Camilo Rodríguez',
    phone: '+573001234567',
    identities: [{ channel: 'whatsapp', handle: '573001234567' }],
    note: 'Cliente recurrente (4 pedidos). Ofrecer reposición sin costo si el daño se confirma.',
    conversations: [{
      channel: 'whatsapp', status: 'open', priority: 'urgent', assignee: 'Ana', labels: ['reclamo'],
      lines: [
        c(5, 'Buenas tardes. Me llegó el pedido #4821 y el jarrón vino roto. Estoy muy molesto, era un regalo.'),
        ana(4.6, 'Camilo, lo siento mucho. ¿Nos puedes enviar una foto del jarrón y de la caja?'),
        c(4.4, 'Ya les mandé las fotos por correo. Necesito una solución rápida, el cumpleaños es el sábado.'),
        note('Ana', 4.3, 'Fotos recibidas: el daño es del transporte. Pedir a Bruno que gestione reenvío express.'),
        c(1.5, '¿Hola? Sigo esperando respuesta.'),
      ],
    }],
  },
  {
    name: 'Sofía Martínez',
    identities: [{ channel: 'instagram', handle: '7214556398012345' }],
    conversations: [{
      channel: 'instagram', status: 'open',
      lines: [
        c(8, 'Hola!! Me encantó el vestido de lino de su última publicación 😍 ¿Lo tienen en talla M?'),
        bruno(7.5, '¡Hola Sofía! Sí, nos quedan dos en talla M, en color arena y verde oliva.'),
        c(2, '¿Y el precio? ¿Aceptan pago en cuotas?'),
      ],
    }],
  },
  {
    name: 'Lucas Almeida',
    identities: [{ channel: 'instagram', handle: '6659120034781122' }],
    conversations: [{
      channel: 'instagram', status: 'resolved', assignee: 'Bruno',
      lines: [
        c(72, 'Boa tarde! Vocês têm loja física no Rio?'),
        bruno(71, 'Olá Lucas! Ainda não, vendemos só online, mas entregamos no Rio em 3 a 5 dias úteis.'),
        c(70.5, 'Perfeito, obrigado!'),
        bruno(70.4, 'Imagina! Qualquer dúvida, é só chamar. 😊'),
      ],
    }],
  },
  {
    name: null,
    identities: [{ channel: 'webchat', handle: 'vis_demo_anonymous_01' }],
    conversations: [{
      channel: 'webchat', status: 'open',
      lines: [
        c(0.4, 'Hi! Do you ship to the United States?'),
        c(0.35, 'And how long does it usually take to Texas?'),
      ],
    }],
  },
  {
    name: 'Emily Carter',
    email: 'emily.carter@example.com',
    identities: [{ channel: 'webchat', handle: 'vis_demo_emily_02' }],
    conversations: [{
      channel: 'webchat', status: 'resolved', assignee: 'Ana',
      lines: [
        c(30, 'Hello, I placed order #4790 last week. Could you tell me when it will arrive?'),
        ana(29.8, 'Hi Emily! Your order left our warehouse on Monday; the tracking number is MX4790223. It should arrive on Thursday.'),
        c(29.7, 'Great, thank you so much!'),
      ],
    }],
  },
  {
    name: 'Diego Fernández',
    email: 'diego@cafemontana.mx',
    phone: '+523312345678',
    company: 'cafe',
    identities: [{ channel: 'email', handle: 'diego@cafemontana.mx' }],
    conversations: [{
      channel: 'email', status: 'pending', priority: 'high', assignee: 'Bruno', labels: ['mayoreo', 'cotización'],
      lines: [
        c(40, 'Buen día. Somos Café Montaña, tenemos 3 sucursales en Guadalajara. Nos interesa comprar 150 tazas y 40 prensas francesas al mayoreo. ¿Podrían enviarnos una cotización con factura?'),
        bruno(38, 'Buen día Diego, con gusto. Para ese volumen el precio por taza queda en $231 MXN y la prensa en $640 MXN, más IVA. Adjunto la cotización formal.'),
        c(20, 'Gracias. ¿El tiempo de entrega sería de cuánto? Y necesitamos pago a 30 días.'),
        bruno(19, 'Entrega en 10 días hábiles. Lo del crédito a 30 días lo reviso con administración y te confirmo.'),
      ],
    }],
  },
  {
    name: 'Valentina Gómez',
    email: 'valentina@estudiopampa.com.ar',
    company: 'pampa',
    identities: [{ channel: 'email', handle: 'valentina@estudiopampa.com.ar' }],
    conversations: [{
      channel: 'email', status: 'snoozed', assignee: 'Ana', labels: ['factura'],
      lines: [
        c(60, 'Hola, necesito la factura A del pedido #4755 a nombre de Estudio Pampa SRL, CUIT 30-71234567-8.'),
        ana(58, 'Hola Valentina, la pedimos a contaduría; la tendremos el lunes y te la enviamos por este medio.'),
      ],
    }],
  },
  {
    name: 'Ricardo Torres',
    phone: '+528112345678',
    identities: [{ channel: 'whatsapp', handle: '5218112345678' }],
    conversations: [{
      channel: 'whatsapp', status: 'snoozed', assignee: 'Bruno', labels: ['pago pendiente'],
      lines: [
        c(22, 'Ya hice la transferencia del pedido, ¿me confirman cuando les llegue?'),
        bruno(21.5, 'Gracias Ricardo. Las transferencias SPEI se reflejan en unas horas; te aviso en cuanto la veamos.'),
      ],
    }],
  },
  {
    name: 'Ana Paula Ribeiro',
    phone: '+5521987654321',
    identities: [
      { channel: 'instagram', handle: '5802213397465510' },
      { channel: 'whatsapp', handle: '5521987654321' },
    ],
    conversations: [
      {
        channel: 'instagram', status: 'resolved', assignee: 'Bruno',
        lines: [
          c(90, 'Oi, o kit de velas aromáticas ainda está disponível?'),
          bruno(89, 'Oi Ana Paula! Está sim, custa R$ 189 e o frete para o Rio é grátis esta semana.'),
        ],
      },
      {
        channel: 'whatsapp', status: 'open', priority: 'medium',
        lines: [
          c(1.2, 'Oi, falei com vocês pelo Instagram sobre o kit de velas. Quero comprar dois, como faço o pagamento?'),
        ],
      },
    ],
  },
];

function channelMessageId(channel: Channel): string | null {
  if (channel === 'whatsapp') return `wamid.HBgN${randomBytes(18).toString('base64url')}`;
  if (channel === 'instagram') return `aWdfZAG1fa${randomBytes(24).toString('base64url')}`;
  return null;
}

/** Past agent replies on Meta's channels were confirmed long ago. */
function deliveredStatus(channel: Channel): DeliveryStatus {
  return channel === 'whatsapp' || channel === 'instagram' ? 'read' : 'sent';
}

async function seedConversation(
  scope: StoreScope,
  contact: Contact,
  spec: DemoConversation,
  agents: Record<'Ana' | 'Bruno', Agent>,
  now: number,
): Promise<void> {
  const first = spec.lines[0]!;
  let conversation = newConversation({
    workspaceId: contact.workspaceId,
    contactId: contact.id,
    channel: spec.channel,
    status: spec.status,
    priority: spec.priority ?? 'none',
    assigneeId: spec.assignee ? agents[spec.assignee].id : null,
    labels: spec.labels ?? [],
    createdAt: new Date(now - first.at).toISOString(),
  });
  await scope.conversations.insert(conversation);
  let unread = 0;
  for (const line of spec.lines) {
    const createdAt = new Date(now - line.at).toISOString();
    const message =
      line.from === 'customer'
        ? newMessage({
            workspaceId: contact.workspaceId, conversationId: conversation.id, direction: 'in', senderKind: 'contact',
            senderId: contact.id, senderName: contact.name, body: line.text, createdAt,
            channelMessageId: channelMessageId(spec.channel),
          })
        : newMessage({
            workspaceId: contact.workspaceId, conversationId: conversation.id, direction: 'out', senderKind: 'agent',
            senderId: agents[line.from].id, senderName: agents[line.from].name, body: line.text, createdAt,
            private: line.note ?? false, status: line.note ? 'sent' : deliveredStatus(spec.channel),
            channelMessageId: line.note ? null : channelMessageId(spec.channel),
          });
    await scope.messages.insert(message);
    conversation = afterMessage(conversation, message);
    if (!message.private) unread = message.direction === 'in' ? unread + 1 : 0;
    // The customer's messages open the channel's reply window (WhatsApp, Instagram), as live ones do.
    if (message.direction === 'in') await scope.channels.touchInbound(contact.workspaceId, conversation.id, createdAt);
  }
  // Agents have read everything up to their last reply; only what came after is unread.
  const resolved = spec.status === 'resolved';
  await scope.conversations.save({
    ...conversation,
    unreadCount: resolved ? 0 : unread,
    waitingSince: resolved ? null : conversation.waitingSince,
  });
}

/** Creates the demo workspace with its agents, contacts and conversations. */
async function seedDemo(store: Store): Promise<void> {
  const { workspace, agents } = await createWorkspace(store, {
    name: 'Tienda Aurora',
    widgetKey: DEMO_WIDGET_KEY,
    greeting: '¡Hola! ¿En qué podemos ayudarte?',
    defaultCountry: 'MX',
    timezone: 'America/Mexico_City',
    currency: 'MXN',
    agents: [
      { name: 'Ana García', email: ADMIN_EMAIL, role: 'admin' },
      { name: 'Bruno Costa', email: 'bruno@tiendaaurora.mx', role: 'agent' },
      { name: 'Carla Méndez', email: 'carla@tiendaaurora.mx', role: 'viewer' },
    ],
  });
  const byName = { Ana: agents[0]!.agent, Bruno: agents[1]!.agent };
  const now = Date.now();
  await store.transaction(async (scope) => {
    const companies = {
      cafe: { id: newId('co'), workspaceId: workspace.id, name: 'Café Montaña', domain: 'cafemontana.mx' },
      pampa: { id: newId('co'), workspaceId: workspace.id, name: 'Estudio Pampa', domain: 'estudiopampa.com.ar' },
    };
    for (const company of Object.values(companies)) await scope.contacts.insertCompany(company, new Date(now - 120 * HOUR).toISOString());

    for (const spec of DEMO_CONTACTS) {
      const firstContact = Math.max(...spec.conversations.map((conversation) => conversation.lines[0]!.at));
      const contact = newContact({
        workspaceId: workspace.id,
        name: spec.name,
        email: spec.email ?? null,
        phone: spec.phone ?? null,
        companyId: spec.company ? companies[spec.company].id : null,
        identities: spec.identities,
        createdAt: new Date(now - firstContact - MINUTE).toISOString(),
      });
      await scope.contacts.insert(contact);
      for (const conversation of spec.conversations) await seedConversation(scope, contact, conversation, byName, now);
      if (spec.note) {
        await scope.contacts.insertNote({
          id: newId('nt'), workspaceId: workspace.id, contactId: contact.id, authorId: byName.Ana.id,
          body: spec.note, createdAt: new Date(now - 10 * MINUTE).toISOString(),
        });
      }
    }
  });
}

const DEMO_CANNED = [
  { shortcut: 'envio', title: 'Costo y tiempo de envío', body: 'El envío a todo México cuesta $99 MXN y llega en 48 horas hábiles. ¡Es gratis en compras desde $899!' },
  { shortcut: 'pago', title: 'Formas de pago', body: 'Aceptamos tarjeta de crédito o débito, transferencia SPEI y pago en OXXO. ¿Cuál prefieres?' },
  { shortcut: 'horario', title: 'Horario de atención', body: 'Te atendemos de lunes a viernes de 9:00 a 19:00 y sábados de 10:00 a 14:00 (hora del centro de México).' },
  { shortcut: 'shipping', title: 'Shipping (English)', body: 'We ship across Mexico in 2 business days for $99 MXN; international orders take 5–7 days.' },
  { shortcut: 'frete', title: 'Frete (Português)', body: 'Enviamos para o Brasil em 5 a 7 dias úteis. O frete é calculado no checkout.' },
];

/** The demo's teams: Ventas (Ana, Bruno) and Soporte (Bruno), with the complaint routed to Soporte. */
async function seedDemoTeams(store: Store, workspaceId: string): Promise<void> {
  if ((await store.teams.list(workspaceId)).length > 0) return;
  const agents = await store.workspaces.agents(workspaceId);
  const id = (name: string) => agents.filter((agent) => agent.name.startsWith(name)).map((agent) => agent.id);
  await store.transaction(async (scope) => {
    const at = new Date().toISOString();
    const sales = { id: newId('tm'), workspaceId, name: 'Ventas', agentIds: [...id('Ana'), ...id('Bruno')] };
    const support = { id: newId('tm'), workspaceId, name: 'Soporte', agentIds: id('Bruno') };
    await scope.teams.insert(sales, at);
    await scope.teams.insert(support, at);
    const page = await scope.conversations.list(workspaceId, { status: 'all', label: 'reclamo' }, null, 10);
    for (const conversation of page) await scope.conversations.save({ ...conversation, teamId: support.id });
  });
}

/** The demo's canned responses (type `/` in the composer), added once. */
async function seedDemoCanned(store: Store, workspaceId: string): Promise<void> {
  if ((await store.canned.list(workspaceId)).length > 0) return;
  await store.transaction(async (scope) => {
    const at = new Date().toISOString();
    for (const response of DEMO_CANNED) await scope.canned.insert({ id: newId('cr'), workspaceId, ...response, createdAt: at, updatedAt: at });
  });
}

/**
 * Makes sure the demo workspace exists and gives its admin `adminToken` (default: a fresh one),
 * which is returned for printing. The token must satisfy the protocol's token rules.
 */
export async function prepareDemo(store: Store, adminToken?: string): Promise<string> {
  if (adminToken !== undefined && !agentAuthSchema.shape.token.safeParse(adminToken).success) {
    throw new Error('The admin token must be 16 to 128 characters long');
  }
  if (!(await store.workspaces.byWidgetKey(DEMO_WIDGET_KEY))) await seedDemo(store);
  const workspace = await store.workspaces.byWidgetKey(DEMO_WIDGET_KEY);
  if (workspace) await seedDemoDeals(store, workspace);
  if (workspace) await seedDemoCanned(store, workspace.id);
  if (workspace) await seedDemoTeams(store, workspace.id);
  // Service-level targets, so the demo inbox shows its clocks (routing stays manual).
  if (workspace && !(await store.routing.settings(workspace.id))) {
    await store.routing.saveSettings(workspace.id, JSON.stringify({ ...DEFAULT_ROUTING, sla: { firstResponseMinutes: 30, nextResponseMinutes: 60 } }), new Date().toISOString());
  }
  const admin = workspace && (await store.workspaces.agentByEmail(workspace.id, ADMIN_EMAIL));
  if (!admin) throw new Error(`The demo workspace has no admin ${ADMIN_EMAIL}`);
  return rotateAgentToken(store, admin, adminToken);
}
