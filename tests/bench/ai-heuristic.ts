// Conversations per second through the offline heuristic provider: the full analysis (lead
// fields, summary, sentiment, topics, intent, BANT) of the es/pt/en sample conversations,
// each lengthened to a typical 12-message WhatsApp exchange, then the qualification verdict.
import { HeuristicProvider } from '../../server/src/ai/heuristic.js';
import type { ConversationLine } from '../../server/src/ai/provider.js';
import { qualify } from '../../server/src/ai/qualification.js';
import { CONVERSATIONS } from '../support/ai-conversations.js';

const FILLER = ['ok', 'Perfecto, gracias', 'Sí, claro', 'Obrigado!', 'Great, thanks', '¿Y el envío?'];
const conversations: ConversationLine[][] = CONVERSATIONS.map((sample, index) => {
  const lines = [...sample.lines];
  while (lines.length < 12) lines.splice(1, 0, FILLER[(index + lines.length) % FILLER.length]!);
  return lines.map((text, position) => ({
    id: `msg_${index}_${position}`,
    from: text.startsWith('>') ? 'business' : 'customer',
    body: text.replace(/^>/, ''),
    createdAt: new Date(Date.UTC(2026, 0, 1, 12, position)).toISOString(),
  }));
});

const provider = new HeuristicProvider();
const contact = { name: null, email: null, phone: null, attributes: {} };
async function run(count: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    const analysis = await provider.analyze({ workspaceId: 'ws_bench', messages: conversations[i % conversations.length]!, contact });
    qualify(analysis, 60);
  }
  return performance.now() - started;
}

await run(400); // warm up
const rounds: number[] = [];
for (let round = 0; round < 5; round += 1) rounds.push((4000 / (await run(4000))) * 1000);
rounds.sort((a, b) => a - b);
console.log(`rounds, slowest first: ${rounds.map((rate) => rate.toFixed(0)).join(', ')} conversations/s (12 messages each)`);
console.log(`ai-heuristic: ${rounds[2]!.toFixed(0)} conversations/s`);
