import type { CsatSettingsString } from './csat-settings.strings.js';

const es: Record<CsatSettingsString, string> = {
  enabled: 'Pedir a los clientes que califiquen las conversaciones resueltas',
  enabledHint: 'En el widget como una tarjeta con estrellas, en WhatsApp como una lista, en Instagram como respuestas rápidas. No se pregunta en las conversaciones resueltas automáticamente.',
  questions: 'La pregunta, por idioma',
  questionsHint: 'Si se deja vacía, se hace la pregunta predeterminada (en gris). El widget pregunta en el idioma del visitante.',
  'question.es': 'Español',
  'question.en': 'Inglés',
  'question.pt': 'Portugués',
  tooLong: 'Como máximo {max} caracteres (ahora {count})',
  channelLanguage: 'Idioma en WhatsApp e Instagram',
  expiresHours: 'Una encuesta sin respuesta se cierra tras (horas, 1–720)',
};
export default es;
