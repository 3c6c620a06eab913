/**
 * Charla's AI: the provider chosen from the environment (`OPENAI_API_KEY`, `OPENAI_BASE_URL`,
 * `CHARLA_AI_MODEL`; without a key the offline heuristic provider), the enrichment service and
 * its /agent requests.
 */
import { HeuristicProvider } from './heuristic.js';
import { OpenAiProvider } from './openai.js';
import type { AiProvider } from './provider.js';

export { AiService, type AiServiceOptions } from './service.js';
export { registerAiHandlers } from './socket.js';
export { createAiRouter } from './http.js';
export type { AiProvider } from './provider.js';
export { HeuristicProvider } from './heuristic.js';
export { OpenAiProvider } from './openai.js';

export function providerFromEnv(env: NodeJS.ProcessEnv = process.env): AiProvider {
  const apiKey = env.OPENAI_API_KEY?.trim();
  if (!apiKey) return new HeuristicProvider();
  return new OpenAiProvider({
    apiKey,
    ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
    ...(env.CHARLA_AI_MODEL ? { model: env.CHARLA_AI_MODEL } : {}),
  });
}
