import type { ComposerKey } from './composer.strings.js';

const pt: Record<ComposerKey, string> = {
  'composer.reply': 'Responder',
  'composer.note': 'Nota',
  'composer.mode': 'Tipo de mensagem',
  'composer.placeholderReply': 'Escreva uma resposta… (Enter envia, Shift+Enter nova linha)',
  'composer.placeholderNote': 'Escreva uma nota privada para sua equipe…',
  'composer.send': 'Enviar',
  'composer.addNote': 'Adicionar nota',
  'composer.viewer': 'Você tem acesso somente leitura a este espaço.',
  'composer.canned': 'Respostas prontas',
  'composer.windowOpen': 'A janela de resposta fecha em {hours} h',
  'composer.windowClosed': 'Mais de 24 horas desde a última mensagem do cliente: o WhatsApp só permite um modelo aprovado.',
  'composer.instagramClosed': 'Mais de 7 dias desde a última mensagem do cliente: o Instagram não permite responder até que ele escreva de novo. Você ainda pode adicionar notas.',
  'composer.messengerClosed': 'Mais de 7 dias desde a última mensagem do cliente: o Messenger não permite responder até que ele escreva de novo. Você ainda pode adicionar notas.',
  'composer.noTemplates': 'Ainda não há modelos aprovados. Um administrador pode sincronizá-los do WhatsApp.',
  'composer.template': 'Modelo',
  'composer.preview': 'Prévia',
  'composer.sendTemplate': 'Enviar modelo',
  'composer.mentions': 'Mencionar um colega',
  'composer.tooLong': '{count} caracteres acima do limite',
  'composer.suggest': 'Sugerir respostas',
  'composer.suggesting': 'Pensando em respostas…',
  'composer.suggestions': 'Respostas sugeridas',
  'composer.suggestFailed': 'Sem sugestões: {reason}',
  'composer.useSuggestion': 'Usar esta resposta: {text}',
};

export default pt;
