import type { CsatSettingsString } from './csat-settings.strings.js';

const pt: Record<CsatSettingsString, string> = {
  enabled: 'Pedir aos clientes que avaliem as conversas resolvidas',
  enabledHint: 'No widget como um cartão com estrelas, no WhatsApp como uma lista, no Instagram como respostas rápidas. Conversas resolvidas automaticamente não são perguntadas.',
  questions: 'A pergunta, por idioma',
  questionsHint: 'Se ficar vazia, é feita a pergunta padrão (em cinza). O widget pergunta no idioma do visitante.',
  'question.es': 'Espanhol',
  'question.en': 'Inglês',
  'question.pt': 'Português',
  tooLong: 'No máximo {max} caracteres (agora {count})',
  channelLanguage: 'Idioma no WhatsApp e no Instagram',
  expiresHours: 'Uma pesquisa sem resposta fecha após (horas, 1–720)',
};
export default pt;
