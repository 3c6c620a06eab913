/**
 * Realistic WhatsApp-style conversations in Spanish, Portuguese and English, written for the AI
 * tests: what the customer wrote (lines starting with `>` are the business's), and what a
 * careful reader finds in it. `email` and `phone` are null when the conversation has none: the
 * analysis must not invent them.
 */
export interface SampleConversation {
  title: string;
  lines: string[];
  expect: { email: string | null; phone: string | null; name?: string; language: 'es' | 'pt' | 'en' };
}

export const CONVERSATIONS: SampleConversation[] = [
  {
    title: 'es: hardware store owner wants the Pro plan, urgent',
    lines: [
      'Hola buenas tardes 👋',
      '>¡Hola! Soy Ana de Charla, ¿en qué te ayudo?',
      'Me llamo María López, trabajo en Ferretería Delta. Estoy interesada en el plan Pro para 5 usuarios',
      'Mi presupuesto es de unos $15,000 MXN al mes y lo necesito para la próxima semana, es urgente',
      'Mi correo es maria.lopez@ferreteriadelta.mx y mi cel 55 1234 5678',
    ],
    expect: { email: 'maria.lopez@ferreteriadelta.mx', phone: '+525512345678', name: 'María López', language: 'es' },
  },
  {
    title: 'es: order that never arrived, angry, no contact data',
    lines: [
      'buenas, hice un pedido hace 10 días y todavía no me ha llegado',
      '>Lamentamos la demora, ¿nos compartes tu número de pedido?',
      'es el 48213. la verdad pésimo servicio, quiero un reembolso',
    ],
    expect: { email: null, phone: null, language: 'es' },
  },
  {
    title: 'es: Argentine customer with an international number and a quote request',
    lines: [
      'Hola! quisiera cotizar 20 sillas de oficina ergonómicas',
      'Soy Lucas, de Buenos Aires. Te dejo mi WhatsApp: +54 9 11 2345-6789',
      'Lo tengo que ver con mi socio pero si el precio cierra lo hacemos este mes',
    ],
    expect: { email: null, phone: '+5491123456789', language: 'es' },
  },
  {
    title: 'pt: English course, budget and mobile number',
    lines: [
      'Oi, tudo bem? Quanto custa o curso de inglês?',
      '>Olá! Temos vários planos, para quando você precisa?',
      'Meu nome é João Silva. Preciso começar em 2 semanas, orçamento até R$ 800',
      'meu whatsapp é (11) 98765-4321',
    ],
    expect: { email: null, phone: '+5511987654321', name: 'João Silva', language: 'pt' },
  },
  {
    title: 'pt: support question with an email, no phone',
    lines: [
      'Bom dia! O aplicativo não funciona desde ontem, aparece um erro no login',
      'Meu e-mail de cadastro é carla.souza@gmail.com',
      'Obrigada pela ajuda!',
    ],
    expect: { email: 'carla.souza@gmail.com', phone: null, language: 'pt' },
  },
  {
    title: 'pt: just browsing, nothing to extract',
    lines: ['Oi! Vocês entregam em Curitiba?', '>Entregamos sim!', 'Legal, obrigado. Vou pensar e depois eu volto'],
    expect: { email: null, phone: null, language: 'pt' },
  },
  {
    title: 'en: espresso machine buyer ready to pay',
    lines: [
      "Hi! I'm interested in the Barista Pro espresso machine",
      '>Great choice! It is $1,200.',
      "My name is Emily Carter, I work at Bean There Cafe. Budget up to $1,500, we need it by Friday",
      'How do I pay? You can reach me at emily@beanthere.co or +1 (415) 555-0132',
    ],
    expect: { email: 'emily@beanthere.co', phone: '+14155550132', name: 'Emily Carter', language: 'en' },
  },
  {
    title: 'en: pricing question with numbers that are not phones',
    lines: [
      'hello, how much for 3 licenses? we are a team of 12 people',
      'order #100245 was last year, invoice 2023-0042',
      'not now maybe, we need to check with my manager',
    ],
    expect: { email: null, phone: null, language: 'en' },
  },
];
