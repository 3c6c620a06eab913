import '@charla/elements';
import type { Contact, Conversation, Message } from '@charla/protocol';

const COUNT = 10_000;
const RUNS = 7;

function history(run: number): Message[] {
  const start = Date.now() - COUNT * 60_000;
  return Array.from({ length: COUNT }, (_, i) => {
    const inbound = i % 3 !== 0;
    return {
      id: `msg_${run}_${String(i).padStart(6, '0')}`, workspaceId: 'ws', conversationId: `cv_${run}`,
      direction: inbound ? 'in' : 'out', senderKind: inbound ? 'contact' : 'agent', senderId: inbound ? 'ct' : 'ag',
      senderName: inbound ? 'María López' : 'Ana García', type: 'text',
      body: inbound ? `¿Tienen el modelo ${i} en azul? Lo necesito para el viernes.` : `Sí, el modelo ${i} está disponible.`,
      private: false, clientId: null, channelMessageId: null, status: 'read', error: null,
      createdAt: new Date(start + i * 60_000).toISOString(),
    } satisfies Message;
  });
}

(window as unknown as { runBench: () => Promise<unknown> }).runBench = async () => {
  const contact: Contact = {
    id: 'ct', workspaceId: 'ws', name: 'María López', email: null, phone: '+525512345678', avatarUrl: null,
    companyId: null, identities: [], createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
  };
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const messages = history(run);
    const conversation: Conversation = {
      id: `cv_${run}`, workspaceId: 'ws', contactId: 'ct', channel: 'whatsapp', status: 'open', priority: 'none',
      assigneeId: null, labels: [], lastMessagePreview: messages.at(-1)!.body, lastMessageAt: messages.at(-1)!.createdAt,
      waitingSince: null, firstReplyAt: null, unreadCount: 0, createdAt: messages[0]!.createdAt, updatedAt: messages.at(-1)!.createdAt,
    };
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const start = performance.now();
    const thread = document.createElement('charla-thread');
    thread.style.cssText = 'display:flex;height:900px;width:800px';
    thread.conversationId = conversation.id;
    thread.conversation = conversation;
    thread.contact = contact;
    thread.messages = messages;
    document.body.append(thread);
    await thread.updateComplete;
    // First render done when the newest message is on screen and painted.
    while (!thread.shadowRoot!.textContent!.includes(`modelo ${COUNT - 1} `)) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    await new Promise((resolve) => requestAnimationFrame(resolve));
    times.push(performance.now() - start);
    thread.remove();
  }
  return { times };
};
