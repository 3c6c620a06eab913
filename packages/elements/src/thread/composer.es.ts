import type { ComposerKey } from './composer.strings.js';

const es: Record<ComposerKey, string> = {
  'composer.reply': 'Responder',
  'composer.note': 'Nota',
  'composer.mode': 'Tipo de mensaje',
  'composer.placeholderReply': 'Escribe una respuesta… (Enter envía, Mayús+Enter agrega una línea)',
  'composer.placeholderNote': 'Escribe una nota privada para tu equipo…',
  'composer.send': 'Enviar',
  'composer.addNote': 'Agregar nota',
  'composer.viewer': 'Tienes acceso de solo lectura a este espacio.',
  'composer.canned': 'Respuestas guardadas',
  'composer.windowOpen': 'La ventana de respuesta cierra en {hours} h',
  'composer.windowClosed': 'Pasaron más de 24 horas desde el último mensaje del cliente: WhatsApp solo permite una plantilla aprobada.',
  'composer.instagramClosed': 'Pasaron más de 7 días desde el último mensaje del cliente: Instagram no permite responder hasta que vuelva a escribir. Puedes agregar notas.',
  'composer.messengerClosed': 'Pasaron más de 7 días desde el último mensaje del cliente: Messenger no permite responder hasta que vuelva a escribir. Puedes agregar notas.',
  'composer.noTemplates': 'Aún no hay plantillas aprobadas. Un administrador puede sincronizarlas desde WhatsApp.',
  'composer.template': 'Plantilla',
  'composer.preview': 'Vista previa',
  'composer.sendTemplate': 'Enviar plantilla',
  'composer.mentions': 'Mencionar a un compañero',
  'composer.tooLong': '{count} caracteres por encima del límite',
  'composer.suggest': 'Sugerir respuestas',
  'composer.suggesting': 'Pensando respuestas…',
  'composer.suggestions': 'Respuestas sugeridas',
  'composer.suggestFailed': 'Sin sugerencias: {reason}',
  'composer.useSuggestion': 'Usar esta respuesta: {text}',
};

export default es;
