/**
 * The demo's channels: the demo workspace gets WhatsApp and Instagram settings (`CHARLA_*`
 * variables, else demo values), and without `CHARLA_GRAPH_URL` its replies go to a small
 * stand-in for Meta's Graph API served at /demo/graph, whose outbox the channel simulator page
 * shows as the customer's phone. Demo mode only: /demo/simulator.json hands the page the demo
 * app secrets so it can sign webhooks like Meta, and the email inbox's webhook key and secret so
 * it can post mail like a mail provider.
 *
 * The demo's own settings come from the operator's environment, so they are stored without the
 * Graph API proof an admin's API save needs (see ownership.ts), though never over an account
 * another workspace holds.
 */
import { fileURLToPath } from 'node:url';
import { CONFIGURABLE_CHANNELS } from '@charla/protocol';
import express, { Router, type Express } from 'express';
import { CharlaFailure } from '../failure.js';
import { newId } from '../ids.js';
import type { Logger } from '../logger.js';
import { DEMO_WIDGET_KEY } from '../seed.js';
import type { Store } from '../store/index.js';
import type { GraphClient } from './graph.js';
import { demoChannelSettings, instagramSettings, messengerSettings, saveChannelSettings, whatsappSettings } from './settings.js';

export async function applyDemoChannels(store: Store, env: NodeJS.ProcessEnv, logger: Logger): Promise<void> {
  const workspace = await store.workspaces.byWidgetKey(DEMO_WIDGET_KEY);
  if (!workspace) return;
  const settings = demoChannelSettings(env);
  for (const channel of CONFIGURABLE_CHANNELS) {
    try {
      await store.transaction((scope) => saveChannelSettings(scope, workspace.id, channel, settings[channel]));
    } catch (error) {
      if (!(error instanceof CharlaFailure && error.code === 'channel_taken')) throw error;
      logger.warn(`The demo workspace's ${channel} settings were not applied: ${error.message}`);
    }
  }
}

/** What the demo Graph stand-in was asked to send, for the simulator's phone. */
export interface DemoOutboxEntry {
  seq: number;
  channel: 'whatsapp' | 'instagram' | 'messenger';
  /** wa_id, IGSID or PSID. */
  to: string;
  /** The channel's id given back (wamid / mid). */
  id: string;
  text: string;
  at: string;
}

const OUTBOX_LIMIT = 500;

const DEMO_TEMPLATES = [
  {
    name: 'order_update', language: 'es_MX', status: 'APPROVED', category: 'UTILITY',
    components: [{ type: 'BODY', text: 'Hola {{1}}, tu pedido {{2}} está en camino.' }],
  },
  {
    name: 'follow_up', language: 'es_MX', status: 'APPROVED', category: 'MARKETING',
    components: [{ type: 'BODY', text: '¡Hola! ¿Seguimos con tu cotización? Responde a este mensaje.' }],
  },
];

function demoGraph(outbox: DemoOutboxEntry[], messengerPage: () => string | null): Router {
  const router = Router();
  let seq = 0;
  const profiles = new Map<string, string>();
  router.use(express.json({ limit: '1mb' }));
  router.post('/:version/:id/messages', (req, res) => {
    const body = (req.body ?? {}) as Record<string, any>;
    const whatsapp = body.messaging_product === 'whatsapp';
    if (whatsapp && body.status === 'read') return void res.json({ success: true });
    const id = whatsapp ? `wamid.demo_${newId('w')}` : `mid.demo_${newId('m')}`;
    const text: string =
      body.type === 'template'
        ? `[template ${String(body.template?.name)}] ${(body.template?.components?.[0]?.parameters ?? []).map((p: any) => p.text).join(', ')}`
        : body.interactive?.type === 'cta_url'
          ? `${String(body.interactive.body?.text ?? '')}\n[${String(body.interactive.action?.parameters?.display_text)}] ${String(body.interactive.action?.parameters?.url)}`
          : body.message?.attachment?.payload?.template_type === 'generic'
            ? body.message.attachment.payload.elements.map((e: any) => `${String(e.title)}\n${String(e.buttons?.[0]?.url ?? '')}`).join('\n')
            : String(body.text?.body ?? body.interactive?.body?.text ?? body.message?.text ?? '');
    seq += 1;
    // The Send API is the same for Instagram and Messenger: the account in the path tells them apart.
    const channel = whatsapp ? 'whatsapp' : req.params.id === messengerPage() ? 'messenger' : 'instagram';
    outbox.push({ seq, channel, to: String(whatsapp ? body.to : body.recipient?.id), id, text, at: new Date().toISOString() });
    if (outbox.length > OUTBOX_LIMIT) outbox.splice(0, outbox.length - OUTBOX_LIMIT);
    if (whatsapp) res.json({ messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id }] });
    else res.json({ recipient_id: body.recipient?.id, message_id: id });
  });
  // Customers' profiles (Messenger and Instagram have no name in their webhooks): what the
  // simulator's customer calls themselves, read back as Meta's `GET /{PSID|IGSID}?fields=` does.
  router.post('/profiles', (req, res) => {
    const { id, name } = (req.body ?? {}) as { id?: unknown; name?: unknown };
    if (typeof id !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(id) || typeof name !== 'string' || name.length > 100) {
      return void res.status(400).json({ error: { code: 'invalid_payload', message: 'id (a PSID or IGSID) and name' } });
    }
    profiles.set(id, name.trim());
    if (profiles.size > OUTBOX_LIMIT) profiles.delete(profiles.keys().next().value!);
    res.status(204).end();
  });
  router.get('/:version/:id', (req, res) => {
    const name = profiles.get(req.params.id);
    if (name === undefined) {
      return void res.status(400).json({ error: { message: `Unsupported get request. Object with ID '${req.params.id}' does not exist`, type: 'GraphMethodException', code: 100 } });
    }
    const wanted = String(req.query.fields ?? 'name').split(',');
    const profile: Record<string, string> = { name, username: name.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '.').replace(/^\.|\.$/g, '') };
    res.json({ ...Object.fromEntries(Object.entries(profile).filter(([field]) => wanted.includes(field))), id: req.params.id });
  });
  router.get('/:version/:id/message_templates', (_req, res) => void res.json({ data: DEMO_TEMPLATES, paging: { cursors: {} } }));
  router.post('/:version/:id/events', (req, res) => void res.json({ events_received: (req.body as any)?.data?.length ?? 0 }));
  return router;
}

/** The photo the simulator's Instagram customer sends (a link Charla downloads and keeps, as it does Meta's). */
const SAMPLE_PHOTO = fileURLToPath(new URL('./demo-photo.png', import.meta.url));

/**
 * Demo-only routes: the simulator's settings, and the Graph stand-in with its outbox. With
 * `standIn` (the Graph client while it talks to the stand-in), the simulator's photo link is on
 * the stand-in's origin, the one origin besides Meta's CDNs media is fetched from.
 */
export function registerDemoChannels(app: Express, store: Store, standIn: GraphClient | null): void {
  const outbox: DemoOutboxEntry[] = [];
  let pageId: string | null = null;
  void store.workspaces.byWidgetKey(DEMO_WIDGET_KEY).then(async (workspace) => {
    pageId = workspace ? ((await messengerSettings(store, workspace.id))?.pageId ?? null) : null;
  });
  app.use('/demo/graph', demoGraph(outbox, () => pageId));
  app.get('/demo/photo.png', (_req, res) => void res.sendFile(SAMPLE_PHOTO));
  app.get('/demo/graph-outbox', (req, res) => {
    const after = Number(req.query.after ?? 0) || 0;
    res.json({ messages: outbox.filter((entry) => entry.seq > after) });
  });
  app.get('/demo/simulator.json', async (_req, res) => {
    const workspace = await store.workspaces.byWidgetKey(DEMO_WIDGET_KEY);
    const whatsapp = workspace ? await whatsappSettings(store, workspace.id) : null;
    const instagram = workspace ? await instagramSettings(store, workspace.id) : null;
    const messenger = workspace ? await messengerSettings(store, workspace.id) : null;
    const [inbox] = workspace ? await store.channels.emailInboxes(workspace.id) : [];
    res.json({
      email: { inboxKey: inbox?.id ?? null, address: inbox?.settings.address ?? null, inboundSecret: inbox?.settings.inboundSecret ?? null },
      messenger: { pageId: messenger?.pageId ?? null, appSecret: messenger?.appSecret ?? null },
      whatsapp: { phoneNumberId: whatsapp?.phoneNumberId ?? null, wabaId: whatsapp?.wabaId ?? null, appSecret: whatsapp?.appSecret ?? null },
      instagram: {
        accountId: instagram?.accountId ?? null, appSecret: instagram?.appSecret ?? null,
        photoUrl: standIn ? new URL('/demo/photo.png', standIn.baseUrl).href : null,
      },
    });
  });
}
