// How good the AI's reading of a conversation is, on the labelled corpus (tests/fixtures/ai-corpus):
// per-field precision and recall of the lead fields, verdict and sentiment accuracy, topics, BANT
// parts and ROUGE-L of the summary against a reference, for the offline provider, and for the
// OpenAI-compatible provider when OPENAI_API_KEY is set (OPENAI_BASE_URL, CHARLA_AI_MODEL), or against
// a loopback fake with CHARLA_BENCH_OPENAI=fake (the path only: the fake is no model).
// Figures are given for the tuning part, the held-out part (every fifth conversation), the blind
// part (written after the offline heuristics were frozen) and all.
// AI_QUALITY_MISSES=1 lists every wrong value of the tuning part.
import type { Analysis } from '@charla/protocol';
import { HeuristicProvider } from '../../server/src/ai/heuristic.js';
import { OpenAiProvider } from '../../server/src/ai/openai.js';
import type { AiProvider } from '../../server/src/ai/provider.js';
import { analysisInput, formatScore, loadCorpus, score, type CorpusConversation } from '../support/ai-corpus.js';
import { literalAnalysis, startFakeOpenAi } from '../support/fake-openai.js';

const corpus = loadCorpus();

async function analyzeAll(provider: AiProvider, concurrency: number) {
  const results: Array<{ conversation: CorpusConversation; analysis: Analysis }> = [];
  let next = 0;
  let failures = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < corpus.length) {
      const conversation = corpus[next++]!;
      try {
        results.push({ conversation, analysis: await provider.analyze(analysisInput(conversation)) });
      } catch (error) {
        failures += 1;
        console.error(`${conversation.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }));
  return { results, failures };
}

async function report(label: string, provider: AiProvider, concurrency: number) {
  const { results, failures } = await analyzeAll(provider, concurrency);
  const tuning = score(results.filter(({ conversation }) => !conversation.heldOut && !conversation.blind));
  const heldOut = score(results.filter(({ conversation }) => conversation.heldOut));
  const blind = score(results.filter(({ conversation }) => conversation.blind));
  const all = score(results);
  for (const [part, result] of [['tuning part', tuning], ['held out', heldOut], ['blind', blind], ['all', all]] as const) {
    console.log(`\n${formatScore(`${label}, ${part}`, result)}`);
  }
  if (failures > 0) console.log(`  ${failures} conversations failed (not scored)`);
  // Only the tuning part's misses: looking at the others would tune on them.
  if (process.env.AI_QUALITY_MISSES) console.log(`\nmisses (tuning part):\n${tuning.misses.join('\n')}`);
  return { all, blind };
}

console.log(`corpus: ${corpus.length} conversations, ${corpus.filter((c) => c.heldOut).length} held out, ${corpus.filter((c) => c.blind).length} blind`);
// CHARLA_BENCH_OPENAI=fake runs the OpenAI path against a loopback OpenAI-compatible server
// (tests/support/fake-openai.ts) whose "model" only copies the emails it reads: it proves prompt →
// endpoint → JSON → validation → scores end to end, and its figures say nothing about a model.
const fake = process.env.CHARLA_BENCH_OPENAI === 'fake' ? await startFakeOpenAi() : null;
if (fake) fake.fallback = { kind: 'answer', content: literalAnalysis };
const apiKey = fake ? 'sk-loopback' : process.env.OPENAI_API_KEY;
if (apiKey) {
  const baseURL = fake?.baseURL ?? process.env.OPENAI_BASE_URL;
  const model = process.env.CHARLA_AI_MODEL ?? 'gpt-4o-mini';
  await report(fake ? `openai (loopback fake at ${baseURL}: path check, not a quality figure)` : `openai (${model})`, new OpenAiProvider({
    apiKey, model, ...(baseURL ? { baseURL } : {}),
  }), 4);
  if (fake) {
    const carried = fake.requests.filter((chat) => chat.response_format?.json_schema?.name === 'conversation_analysis'
      && chat.messages.at(-1)?.content.includes('Conversation:\n[')).length;
    console.log(`  loopback endpoint: ${fake.requests.length} chat completions for ${corpus.length} conversations, ${carried} with the analysis schema and the transcript`);
    await fake.close();
  }
}
const offline = await report('offline (heuristic)', new HeuristicProvider(), 1);
// The headline is the blind part's: the one figure no tuning has seen.
const { blind } = offline;
console.log(`ai-quality: ${blind.leadF1.toFixed(2)} lead-field F1 on the blind part (offline; verdict ${blind.verdictAccuracy.toFixed(2)}, sentiment ${blind.sentimentAccuracy.toFixed(2)}, ROUGE-L ${blind.rougeL.toFixed(2)}; all ${offline.all.leadF1.toFixed(2)})`);
