/**
 * The widget's words in its built-in locales. The loader needs only the launcher's labels, so
 * they live in their own export: the loader bundle stays free of the panel's dictionary.
 */
export const LOCALES = ['es', 'en', 'pt'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * The first candidate whose language is built in (`pt-BR` → `pt`), else English. Callers pass
 * candidates in order of precedence: the element's `lang`, the document's, the browser's.
 */
export function resolveLocale(...candidates: Array<string | null | undefined>): Locale {
  for (const candidate of candidates) {
    const language = candidate?.trim().toLowerCase().split(/[-_]/)[0];
    if ((LOCALES as readonly string[]).includes(language ?? '')) return language as Locale;
  }
  return 'en';
}

export interface LauncherStrings {
  /** Name of the chat's dialog. */
  panel: string;
  open: string;
  close: string;
  unread: (count: number) => string;
  loadFailed: string;
}

export const LAUNCHER_STRINGS: Record<Locale, LauncherStrings> = {
  en: {
    panel: 'Chat',
    open: 'Open chat',
    close: 'Close chat',
    unread: (n) => (n === 1 ? '1 unread message' : `${n} unread messages`),
    loadFailed: 'The chat could not be loaded. Please try again.',
  },
  es: {
    panel: 'Chat',
    open: 'Abrir chat',
    close: 'Cerrar chat',
    unread: (n) => (n === 1 ? '1 mensaje sin leer' : `${n} mensajes sin leer`),
    loadFailed: 'No se pudo cargar el chat. Inténtalo de nuevo.',
  },
  pt: {
    panel: 'Chat',
    open: 'Abrir chat',
    close: 'Fechar chat',
    unread: (n) => (n === 1 ? '1 mensagem não lida' : `${n} mensagens não lidas`),
    loadFailed: 'Não foi possível carregar o chat. Tente novamente.',
  },
};

export interface WebchatStrings {
  title: string;
  close: string;
  replyTime: string;
  chattingWith: (agent: string) => string;
  greeting: string;
  conversation: string;
  you: string;
  today: string;
  yesterday: string;
  /** Delivery states of the visitor's messages, by status. */
  pending: string;
  sent: string;
  delivered: string;
  read: string;
  failed: string;
  retry: string;
  discard: string;
  loadEarlier: string;
  loading: string;
  connecting: string;
  reconnecting: string;
  unavailableTitle: string;
  unavailable: string;
  loadError: string;
  tryAgain: string;
  placeholder: string;
  send: string;
  messageLabel: string;
  newMessages: string;
  /** Someone (an agent's name, or null) is typing. */
  typing: (name: string | null) => string;
  awayTitle: string;
  away: string;
  email: string;
  notifyMe: string;
  emailSaved: (email: string) => string;
  preChatTitle: string;
  name: string;
  phone: string;
  optional: string;
  startChat: string;
  invalidField: string;
}

export const STRINGS: Record<Locale, WebchatStrings> = {
  en: {
    title: 'Chat',
    close: 'Close chat',
    replyTime: 'We usually reply in a few minutes',
    chattingWith: (agent) => `${agent} is here to help`,
    greeting: 'Hi there! 👋 How can we help you today?',
    conversation: 'Conversation',
    you: 'You',
    today: 'Today',
    yesterday: 'Yesterday',
    pending: 'Sending…',
    sent: 'Sent',
    delivered: 'Delivered',
    read: 'Read',
    failed: 'Not sent',
    retry: 'Retry',
    discard: 'Discard',
    loadEarlier: 'Load earlier messages',
    loading: 'Loading…',
    connecting: 'Connecting…',
    reconnecting: 'Reconnecting — your messages will be sent when you are back online.',
    unavailableTitle: 'Chat unavailable',
    unavailable: 'This chat is not available right now. Please try again later.',
    loadError: 'Messages could not be loaded.',
    tryAgain: 'Try again',
    placeholder: 'Write a message…',
    send: 'Send',
    messageLabel: 'Message',
    newMessages: 'New messages',
    typing: (name) => `${name ?? 'Someone'} is typing…`,
    awayTitle: 'We are away right now',
    away: 'Leave your email and we will answer there as soon as we are back. You can also write below.',
    email: 'Email',
    notifyMe: 'Notify me',
    emailSaved: (email) => `Thanks! We will answer at ${email}.`,
    preChatTitle: 'Tell us about you to start the chat',
    name: 'Name',
    phone: 'Phone',
    optional: 'optional',
    startChat: 'Start chat',
    invalidField: 'Please check this field',
  },
  es: {
    title: 'Chat',
    close: 'Cerrar chat',
    replyTime: 'Solemos responder en unos minutos',
    chattingWith: (agent) => `${agent} te está atendiendo`,
    greeting: '¡Hola! 👋 ¿En qué podemos ayudarte hoy?',
    conversation: 'Conversación',
    you: 'Tú',
    today: 'Hoy',
    yesterday: 'Ayer',
    pending: 'Enviando…',
    sent: 'Enviado',
    delivered: 'Entregado',
    read: 'Leído',
    failed: 'No enviado',
    retry: 'Reintentar',
    discard: 'Descartar',
    loadEarlier: 'Cargar mensajes anteriores',
    loading: 'Cargando…',
    connecting: 'Conectando…',
    reconnecting: 'Reconectando: tus mensajes se enviarán cuando vuelvas a estar en línea.',
    unavailableTitle: 'Chat no disponible',
    unavailable: 'Este chat no está disponible en este momento. Inténtalo más tarde.',
    loadError: 'No se pudieron cargar los mensajes.',
    tryAgain: 'Reintentar',
    placeholder: 'Escribe un mensaje…',
    send: 'Enviar',
    messageLabel: 'Mensaje',
    newMessages: 'Mensajes nuevos',
    typing: (name) => `${name ?? 'Alguien'} está escribiendo…`,
    awayTitle: 'Ahora no estamos disponibles',
    away: 'Déjanos tu correo y te responderemos ahí en cuanto volvamos. También puedes escribir abajo.',
    email: 'Correo',
    notifyMe: 'Avísenme',
    emailSaved: (email) => `¡Gracias! Te responderemos en ${email}.`,
    preChatTitle: 'Cuéntanos de ti para empezar el chat',
    name: 'Nombre',
    phone: 'Teléfono',
    optional: 'opcional',
    startChat: 'Empezar chat',
    invalidField: 'Revisa este campo',
  },
  pt: {
    title: 'Chat',
    close: 'Fechar chat',
    replyTime: 'Respondemos em poucos minutos',
    chattingWith: (agent) => `${agent} está aqui para ajudar`,
    greeting: 'Olá! 👋 Como podemos ajudar você hoje?',
    conversation: 'Conversa',
    you: 'Você',
    today: 'Hoje',
    yesterday: 'Ontem',
    pending: 'Enviando…',
    sent: 'Enviada',
    delivered: 'Entregue',
    read: 'Lida',
    failed: 'Não enviada',
    retry: 'Tentar de novo',
    discard: 'Descartar',
    loadEarlier: 'Carregar mensagens anteriores',
    loading: 'Carregando…',
    connecting: 'Conectando…',
    reconnecting: 'Reconectando — suas mensagens serão enviadas quando você voltar a ficar online.',
    unavailableTitle: 'Chat indisponível',
    unavailable: 'Este chat não está disponível no momento. Tente novamente mais tarde.',
    loadError: 'Não foi possível carregar as mensagens.',
    tryAgain: 'Tentar de novo',
    placeholder: 'Escreva uma mensagem…',
    send: 'Enviar',
    messageLabel: 'Mensagem',
    newMessages: 'Novas mensagens',
    typing: (name) => `${name ?? 'Alguém'} está digitando…`,
    awayTitle: 'Estamos ausentes agora',
    away: 'Deixe seu e-mail e responderemos por lá assim que voltarmos. Você também pode escrever abaixo.',
    email: 'E-mail',
    notifyMe: 'Avise-me',
    emailSaved: (email) => `Obrigado! Responderemos em ${email}.`,
    preChatTitle: 'Conte-nos sobre você para começar o chat',
    name: 'Nome',
    phone: 'Telefone',
    optional: 'opcional',
    startChat: 'Começar chat',
    invalidField: 'Verifique este campo',
  },
};
