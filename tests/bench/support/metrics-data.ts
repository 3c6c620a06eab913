/**
 * Seeding for the metrics benchmark: deals walking a pipeline and conversations with their
 * messages, written through the store's own statements in large transactions, at fixed times
 * before `now` so every run measures the same history.
 */
import type { Channel, Conversation, Deal, Message, Pipeline, SenderKind } from '@charla/protocol';
import { newId } from '../../../server/src/ids.js';
import { insertPipeline } from '../../../server/src/services/deals.js';
import { afterMessage, newContact, newConversation, newMessage } from '../../../server/src/services/entities.js';
import type { Store } from '../../../server/src/store/index.js';
import { seeded as random } from '../../support/seeded.js';

const DAY = 86_400_000;
const MINUTE = 60_000;


export interface DealSeed {
  pipeline: Pipeline;
  deals: number;
  stays: number;
}

/**
 * `count` deals in a new three-stage pipeline, created over `days` days before `now`: each walks
 * one to three open stages (three days apart), a third are then won and a sixth lost; owners take
 * turns, a tenth are in USD.
 */
export async function seedDeals(
  store: Store,
  options: { workspaceId: string; owners: string[]; count: number; now: number; days: number },
): Promise<DealSeed> {
  const { workspaceId, owners, count, now, days } = options;
  const pipeline = await store.transaction((scope) =>
    insertPipeline(scope, workspaceId, { name: 'Ventas', stages: [{ name: 'Lead' }, { name: 'Propuesta' }, { name: 'Negociación' }] }, new Date(now - (days + 80) * DAY).toISOString()));
  const open = pipeline.stages.filter((stage) => stage.kind === 'open');
  const won = pipeline.stages.find((stage) => stage.kind === 'won')!;
  const lost = pipeline.stages.find((stage) => stage.kind === 'lost')!;
  let stays = 0;
  const BATCH = 5000;
  for (let batch = 0; batch < count; batch += BATCH) {
    await store.transaction(async (scope) => {
      for (let i = batch; i < Math.min(count, batch + BATCH); i += 1) {
        const created = now - ((i * 7919) % ((days * DAY) / MINUTE)) * MINUTE;
        const steps = open.slice(0, 1 + (i % 3));
        const end = i % 6 === 0 ? lost : i % 3 === 0 ? won : null;
        const path = end ? [...steps, end] : steps;
        const at = (step: number) => new Date(Math.min(now - MINUTE, created + step * 3 * DAY + (i % 17) * 3_600_000)).toISOString();
        const record: Deal = {
          id: newId('dl'), workspaceId, pipelineId: pipeline.id, stageId: path[0]!.id, status: 'open', title: `Oportunidad ${i}`,
          amount: 1000 + (i % 500) * 10, currency: i % 10 === 0 ? 'USD' : 'MXN', probability: 20 + (i % 5) * 15,
          expectedCloseDate: new Date(now - 10 * DAY + (i % 40) * DAY).toISOString().slice(0, 10), ownerId: owners[i % owners.length]!, contactId: null,
          companyId: null, conversationId: null, lostReason: null, stageEnteredAt: at(0), closedAt: null, createdAt: at(0), updatedAt: at(0),
        };
        await scope.deals.insertDeal(record);
        for (const [step, stage] of path.entries()) await scope.deals.recordStageVisit(record, newId('sv'), { stageId: stage.id, enteredAt: at(step), actorId: null, rule: null });
        stays += path.length;
        const last = path.at(-1)!;
        const closed = last.kind !== 'open';
        const lastAt = at(path.length - 1);
        await scope.deals.saveDeal({
          ...record, stageId: last.id, status: closed ? (last.kind as 'won' | 'lost') : 'open', stageEnteredAt: lastAt,
          closedAt: closed ? lastAt : null, updatedAt: lastAt,
        });
      }
    });
  }
  return { pipeline, deals: count, stays };
}

export interface ConversationSeed {
  conversations: number;
  messages: number;
  contacts: number;
}

const CHANNELS: Channel[] = ['whatsapp', 'whatsapp', 'whatsapp', 'instagram', 'instagram', 'webchat', 'webchat', 'email'];

/**
 * `count` conversations started over `days` days before `now`, two per customer on different
 * channels, with about ten lines each: customer messages, human replies after seconds to hours,
 * bot greetings, system lines and private notes. About one in twelve is never answered; of the
 * others, those not waiting are mostly resolved minutes after the last reply, the rest stay open.
 */
export async function seedConversations(
  store: Store,
  options: { workspaceId: string; agents: Array<{ id: string; name: string }>; count: number; now: number; days: number },
): Promise<ConversationSeed> {
  const { workspaceId, agents, count, now, days } = options;
  const next = random(20_260_501);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  /** Seconds to hours, most of them minutes (a log-uniform spread). */
  const delay = (minMs: number, maxMs: number) => Math.round(minMs * (maxMs / minMs) ** next());
  const latest = now - MINUTE;
  let messages = 0;
  let contacts = 0;
  const BATCH = 2000;
  for (let batch = 0; batch < count; batch += BATCH) {
    await store.transaction(async (scope) => {
      let contactId = '';
      for (let i = batch; i < Math.min(count, batch + BATCH); i += 1) {
        const started = now - Math.floor(next() * days * DAY);
        const channel = CHANNELS[i % CHANNELS.length]!;
        const startedAt = new Date(started).toISOString();
        if (i % 2 === 0) {
          const contact = newContact({ workspaceId, name: `Cliente ${i / 2}`, identities: [{ channel, handle: `bench-${channel}-${i}` }], createdAt: startedAt });
          await scope.contacts.insert(contact);
          contactId = contact.id;
          contacts += 1;
        } else {
          await scope.contacts.insertIdentity(workspaceId, { id: newId('idn'), contactId, channel, handle: `bench-${channel}-${i}`, verified: true });
        }
        const assignee = next() < 0.1 ? null : pick(agents);
        let conversation: Conversation = newConversation({ workspaceId, contactId, channel, status: 'open', createdAt: startedAt, assigneeId: assignee?.id ?? null });
        await scope.conversations.insert(conversation);
        let at = started;
        const line = async (from: SenderKind, body: string, note = false) => {
          if (at > latest) return;
          const agent = from === 'agent' ? (assignee ?? agents[i % agents.length]!) : null;
          const message: Message = newMessage({
            workspaceId, conversationId: conversation.id, direction: from === 'contact' ? 'in' : 'out', senderKind: from,
            senderId: agent?.id ?? null, senderName: agent?.name ?? (from === 'bot' ? 'Bot' : null), body, private: note,
            createdAt: new Date(at).toISOString(),
          });
          await scope.messages.insert(message);
          conversation = afterMessage(conversation, message);
          messages += 1;
        };
        const customer = async () => {
          await line('contact', 'Hola, ¿tienen disponible el modelo grande?');
          if (next() < 0.6) {
            at += delay(5_000, 120_000);
            await line('contact', '¿Y el envío cuánto tarda?');
          }
        };
        await customer();
        if (next() < 0.3) {
          at += 2_000;
          await line('bot', 'Gracias por escribir, en un momento te atiende alguien del equipo.');
        }
        if (next() < 1 / 12) {
          // Never answered: the customer is still waiting.
          await scope.conversations.save(conversation);
          continue;
        }
        const rounds = 1 + Math.floor(next() * 6);
        for (let round = 0; round < rounds; round += 1) {
          if (next() < 0.15) {
            at += delay(10_000, 600_000);
            await line('agent', 'Revisar inventario antes de confirmar.', true);
          }
          at += delay(15_000, 4 * 3_600_000);
          await line('agent', 'Sí, lo tenemos. Te paso el precio y el tiempo de entrega.');
          if (next() < 0.1) {
            at += 1_000;
            await line('system', 'Conversación asignada');
          }
          if (round < rounds - 1 || next() < 0.3) {
            at += delay(60_000, DAY);
            await customer();
          }
        }
        if (conversation.waitingSince === null && next() < 0.8) {
          const resolvedAt = new Date(Math.min(latest, at + delay(MINUTE, 3_600_000))).toISOString();
          await scope.conversations.save({ ...conversation, status: 'resolved', updatedAt: resolvedAt });
        } else {
          await scope.conversations.save(conversation);
        }
      }
    });
  }
  return { conversations: count, messages, contacts };
}
