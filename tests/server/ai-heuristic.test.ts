// The offline provider on the hard cases of real chats: corrections, two people on one number,
// national numbers with spaces, amounts as people write them, sarcasm, negation, voice notes and
// emoji, urgency said both ways, topics a workspace extends, third-person summaries and a next
// action that knows who spoke last and the deal's stage.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { budgetAmount } from '../../server/src/ai/budget.js';
import { analyzeConversation } from '../../server/src/ai/heuristic.js';
import { recommend } from '../../server/src/ai/qualification.js';
import type { AnalysisInput, ConversationLine } from '../../server/src/ai/provider.js';

function input(lines: string[], extra: Partial<AnalysisInput> = {}): AnalysisInput {
  const messages: ConversationLine[] = lines.map((text, position) => ({
    id: `msg_${position}`,
    from: text.startsWith('>') ? 'business' : 'customer',
    body: text.replace(/^>/, ''),
    createdAt: new Date(Date.UTC(2026, 0, 5, 12, position)).toISOString(),
  }));
  return { workspaceId: 'ws', messages, contact: { name: null, email: null, phone: null, attributes: {} }, phoneCountry: 'MX', ...extra };
}
const analyze = (lines: string[], extra: Partial<AnalysisInput> = {}) => analyzeConversation(input(lines, extra));

describe('offline provider: contact data', () => {
  test('a corrected phone or email replaces the first one, pointing at the correcting message', () => {
    const analysis = analyze(['mi cel es 55 1234 5678', 'perdón, me equivoqué, es 55 1234 5687', 'correo ana@gmial.com', 'perdón: ana@gmail.com']);
    assert.equal(analysis.lead.phone?.value, '+525512345687');
    assert.equal(analysis.lead.phone?.messageId, 'msg_1');
    assert.equal(analysis.lead.email?.value, 'ana@gmail.com');
  });

  test('two people on one number: the one writing now is the lead', () => {
    const analysis = analyze(['Hola, soy Laura Téllez, quiero precios de playeras', '>Hola Laura', 'Hola, ya no es Laura, soy su esposo Jorge Téllez, yo llevo el negocio']);
    assert.equal(analysis.lead.name?.value, 'Jorge Téllez');
  });

  test("national numbers with spaces are read in the workspace's country; an Argentine mobile gets its 9", () => {
    assert.equal(analyze(['Llámame al 6 7 8 9 0 1 2 3 4'], { phoneCountry: 'ES' }).lead.phone?.value, '+34678901234');
    assert.equal(analyze(['mi cel 11 3344-5566'], { phoneCountry: 'AR' }).lead.phone?.value, '+5491133445566');
    assert.equal(analyze(['meu whatsapp é (11) 98765-4321'], { phoneCountry: 'BR' }).lead.phone?.value, '+5511987654321');
  });

  test('amounts as people write them are budgets, in the currency of the place unless named', () => {
    const cases: Array<[string, string, number, string]> = [
      ['Tengo hasta 20 mil pesos', 'AR', 20_000, 'ARS'],
      ['Tenemos unos 5k usd para el proyecto', 'MX', 5000, 'USD'],
      ['Nuestro presupuesto es de 5 millones de pesos', 'CO', 5_000_000, 'COP'],
      ['Tengo unos 1.500 € para la bici', 'ES', 1500, 'EUR'],
      ['orçamento de 20k', 'BR', 20_000, 'BRL'],
    ];
    for (const [text, country, amount, currency] of cases) {
      const budget = analyze([text], { phoneCountry: country }).lead.budget;
      assert.ok(budget, `a budget in "${text}"`);
      const local = { AR: 'ARS', MX: 'MXN', CO: 'COP', ES: 'EUR', BR: 'BRL' }[country]!;
      assert.deepEqual(budgetAmount(budget.value, local), { amount, currency }, text);
    }
    assert.equal(analyze(['Tenemos 3k usd', 'Bueno, en realidad podemos estirar a 4k usd']).lead.budget?.value, '4k usd', 'the corrected budget');
    assert.equal(analyze(['The plumber charged me $200 and the leak is still there']).lead.budget, null, 'money paid is no budget');
    assert.equal(analyze(['Me cobraron de más en la tarjeta, 45 mil en vez de 38 mil'], { phoneCountry: 'AR' }).lead.budget, null, 'nor what the charge should have been');
    assert.equal(analyze(['¿Cuánto cobran por la web? Tengo 20 mil'], { phoneCountry: 'AR' }).lead.budget?.value, '20 mil', 'asking a price is no charge');
  });

  test('thousands and hundreds said in words, soles, and quantities that are not money', () => {
    assert.deepEqual(budgetAmount('traigo 6 mil quinientos', 'MXN'), { amount: 6500, currency: 'MXN' });
    assert.deepEqual(budgetAmount('tengo mil quinientos soles', 'PEN'), { amount: 1500, currency: 'PEN' });
    assert.deepEqual(budgetAmount('está S/ 1,200', 'PEN'), { amount: 1200, currency: 'PEN' });
    assert.equal(analyze(['mil gracias!']).lead.budget, null, '"mil gracias" is thanks');
    assert.equal(analyze(['tenho 2 splits de 12 mil btus pra instalar'], { phoneCountry: 'BR' }).lead.budget, null, 'a size in BTU is no budget');
  });

  test('what the business answered: a booking confirmed, a time picked from those offered, an apology', () => {
    const booked = analyze(['hola tienen cita hoy para vacunar a mi perrita?', '>Hola! Sí, hoy a las 5:30 o 6:15', 'la primera', '>Listo, queda agendada hoy 5:30']);
    assert.equal(booked.intent, 'high', 'the business confirmed the booking');
    const picked = analyze(['tienen turno para mañana en la tarde?', '>Mañana tenemos 4:00 pm o 5:30 pm', '4 pm porfa']);
    assert.equal(picked.intent, 'high', 'a time picked from those offered');
    const asked = analyze(['tienen turno para mañana en la tarde?', '>Mañana tenemos 4:00 pm o 5:30 pm', 'y cuánto sale la sesión?']);
    assert.notEqual(asked.intent, 'high', 'a question after the times is no booking');
    const offered = ['do you have anything tomorrow afternoon?', '>We have 4:00 pm or 5:30 pm'];
    assert.equal(analyze([...offered, 'the 5:30 pm please']).intent, 'high', 'a time picked with the words around it');
    assert.notEqual(analyze([...offered, '4pm? pass']).intent, 'high', 'passing on a time is no booking ("pass" is not the filler "as")');
    const apology = analyze(['el pedido 10482 llegó con la caja abierta', '>Hola, lamentamos mucho la situación. ¿Nos manda una foto?']);
    assert.ok(apology.topics.includes('complaint'), 'the business apologized: a complaint');
    const voiceNote = analyze(['Audio', '>Hola! Una disculpa, por aquí no podemos escuchar audios ¿nos escribe?', 'lavan salas? es una sala en L']);
    assert.ok(!voiceNote.topics.includes('complaint'), 'sorry for not hearing a voice note is no complaint');
  });

  test('the business a customer writes from, however they put it', () => {
    const company = (...lines: string[]) => analyze(lines, { phoneCountry: 'ES' }).lead.company?.value ?? null;
    assert.equal(company('Buenas, les escribo de la Ferretería El Tornillo, necesito 200 bisagras'), 'Ferretería El Tornillo');
    assert.equal(company('qué tal, le hablo de la tienda Súper Lupita. tienen azúcar por bulto?'), 'Súper Lupita', 'a word for any shop is not part of the name');
    assert.equal(company('hola, os escribo desde la óptica Visión Clara, queremos 40 monturas'), 'Óptica Visión Clara', 'the kind of business is');
    assert.equal(company('Buenas tardes, somos Textiles Ruiz de Puebla. Cotícenme 300 metros de manta'), 'Textiles Ruiz', 'the city after it is not');
    assert.equal(company('Hola! aquí Marta Gil, de Gil Interiores. Buscamos 12 lámparas colgantes'), 'Gil Interiores');
    assert.equal(company('represento a Cafés del Valle y buscamos 50 kg de grano'), 'Cafés del Valle');
    assert.equal(company('Bom dia, sou a Carla, compradora da Mercearia Boa Vista. Preciso de 40 caixas de óleo'), 'Mercearia Boa Vista');
    assert.equal(company('Morning, Sam from The Green Fork here. Need 10 cases of oat milk'), 'The Green Fork');
    assert.equal(company("Hi, I'm writing on behalf of my manager, Dan Price at Price Plumbing. He wants a quote for 30 radiators"), 'Price Plumbing');
    assert.equal(company('Necesito 20 ramos para el viernes', 'Saludos, Rosa León. Florería Las Camelias (pedidos@lascamelias.es)'), 'Florería Las Camelias');
    assert.equal(company('Soy Lucas, de Madrid'), null, 'a city alone is no company');
    assert.equal(company('Necesito cotizar 200 cajas de vasos para Distribuidora Santa Clara'), 'Distribuidora Santa Clara', 'a business named by its kind');
    assert.equal(company('en la Clínica San José me dijeron que ustedes hacen ecografías'), null, 'where they went is not where they write from');
  });

  test('who decides, what costs too much and what was bought elsewhere, told apart from look-alikes', () => {
    const verdictOf = (analysis: ReturnType<typeof analyze>) => recommend({ ...analysis, urgency: analysis.lead.urgency?.value ?? null });
    const verdict = (...lines: string[]) => verdictOf(analyze(lines));
    assert.equal(verdict('me gusta la mesa de roble, cuánto sale?', '>$8,900', 'déjeme lo consulto con mi esposo y le aviso'), 'reach_decision_maker');
    assert.equal(verdict('buenas, mi jefa quiere cotizar 3 escritorios. me pasa precio y ella decide?'), 'reach_decision_maker');
    assert.equal(verdict('che, cuánto la bici?', '>$489.000', 'uh, no me hacés un precio en efectivo?'), 'show_value');
    assert.equal(verdict('7 mil como mucho, si no tendré que mirar otras empresas'), 'show_value');
    assert.ok(!analyze(['mi hijo tiene mucho acné en la cara, cuánto cuesta el tratamiento?']).objections.includes('price'), 'a face is no price');
    assert.ok(!analyze(['fala cara, vcs instalam ar condicionado?'], { phoneCountry: 'BR' }).objections.includes('price'), '"cara" is also "dude"');
    assert.ok(analyze(['uy no, está cara']).objections.includes('price'));
    assert.ok(!analyze(['me faltan dos muelas, hacen implantes?']).topics.includes('complaint'), 'missing teeth are no missing items');
    assert.equal(analyze(['cuánto la sesión?', '>$35.000', 'uh, en otro lado la vi a 20 mil']).lead.budget, null, "a competitor's price is no budget");
    assert.equal(verdict('oi, tem a air fryer de 5L?', '>Temos sim, R$ 429', 'ah, acabei comprando em outra loja ontem'), 'nurture');
    const booked = analyze(['se le rompió una muela a mi mamá, tienen cita hoy?', '>Lamentamos eso. Tenemos hoy 5:30 pm o 7 pm', 'a las 5:30 porfa', '>Listo, queda agendada hoy 5:30 pm']);
    assert.ok(!booked.topics.includes('complaint'), 'sympathy before a booking is no apology for a fault');
    assert.equal(verdictOf(booked), 'close');
  });

  test('how to reach them is no name, a price paid or an approval limit is no budget, someone else approving is who decides', () => {
    const complaint = analyze(['the walnut bookshelf came with a cracked shelf', 'not happy, it was $349', 'order 77821. Derek Hollis, call me at 512-555-0143'], { phoneCountry: 'US' });
    assert.equal(complaint.lead.name?.value, 'Derek Hollis', '"call me at" names nobody "At"');
    assert.equal(complaint.lead.budget, null, 'what it cost is no budget');
    const office = analyze(['office manager at Harbourside Physio here', 'the owner signs off anything over $500 so I\'ll have to run it past her', 'best to call me on 0412 558 903. Shannon'], { phoneCountry: 'AU' });
    assert.equal(office.lead.name?.value, 'Shannon');
    assert.equal(office.lead.budget, null, 'an approval limit is no budget');
    assert.ok(office.objections.includes('authority'));
    assert.equal(analyze(['le llevaron el perro al baño y volvió lastimado, aguardo. Patrícia']).lead.name?.value, 'Patrícia');
    assert.equal(analyze(['quiero 3 Cajas']).lead.name, null, 'a capitalized word after a number is no name');
    assert.equal(analyze(['love how I got charged twice', '>Could you send your full name and the date of your visit?', 'Kayla Brooks, visit was the 3rd. pls fix this']).lead.name?.value, 'Kayla Brooks');
    for (const line of ['me envia la cotizacion formal para presentarla a la gerente, que es quien aprueba', 'la compra la autoriza el director, yo le paso su cotizacion', 'yo le paso la info a el que es el que decide', 'vale, lo hablo con mi hermana y os digo']) {
      assert.ok(analyze([line]).objections.includes('authority'), line);
    }
    const taqueria = analyze(['buen dia, hablo de parte de la Taqueria El Güero Chuy', 'necesitamos 40 kilos de tortilla diaria']);
    assert.equal(taqueria.lead.company?.value, 'Taqueria El Güero Chuy');
    assert.equal(taqueria.lead.productInterest?.value, '40 kilos de tortilla diaria', '"Taqueria" holds no "queria"');
    assert.equal(analyze(['Soy Nico de la pizzeria Lo de Tito']).lead.company?.value, 'Pizzeria Lo de Tito');
    const faulty = analyze(['hola, compre un secador de pelo y vino con el cable pelado', 'asi no se puede usar, es peligroso', 'me lo cambian o me devuelven la plata?']);
    assert.ok(faulty.topics.includes('complaint'));
  });

  test('a date of something past or of paying is no deadline; names corrected or signed with a role; the business they run or buy for', () => {
    const delivered = analyze(['hi, the bookshelf got delivered today and one shelf is cracked']);
    assert.equal(delivered.lead.timeline, null);
    assert.equal(delivered.lead.urgency, null, 'it arrived today: nothing said about when they need anything');
    const paying = analyze(['tengo 850 mil, me lo pueden entregar el jueves?', '>Sí, llegamos el jueves', 'dale, confirmado. te transfiero hoy 👌'], { phoneCountry: 'AR' });
    assert.equal(paying.lead.timeline?.value, 'el jueves', 'paying today is not needing it today');
    assert.equal(analyze(['lo necesito para hoy']).lead.productInterest, null, '"para" is no interest');
    assert.equal(analyze(['¿cuánto me sale una consulta con el ginecólogo?']).lead.productInterest?.value, 'consulta con el ginecólogo');
    assert.equal(analyze(['Martin Gaitan, DNI 30.112.908', 'perdon, Martín Gaitán Ocampo, con los dos apellidos xq asi figura en la obra social'], { phoneCountry: 'AR' }).lead.name?.value, 'Martín Gaitán Ocampo');
    assert.equal(analyze(['la compra la autoriza el director', 'Atte. Fernanda Ríos, asistente administrativa']).lead.name?.value, 'Fernanda Ríos');
    assert.equal(analyze(["Hiya, we run a little café in Leeds, The Copper Kettle, and we're after a new oat milk supplier"], { phoneCountry: 'GB' }).lead.company?.value, 'The Copper Kettle');
    assert.equal(analyze(['I went to the shop, Tesco'], { phoneCountry: 'GB' }).lead.company, null, 'a shop they went to is not theirs');
    assert.equal(analyze(['es para la ferreteria El Tornillo de mi viejo']).lead.company?.value, 'Ferreteria El Tornillo');
    assert.equal(analyze(['es para la Navidad']).lead.company, null, 'a holiday is no business');
    const verdictOf = (analysis: ReturnType<typeof analyze>) => recommend({ ...analysis, urgency: analysis.lead.urgency?.value ?? null });
    assert.equal(verdictOf(analyze(['we need 200 pink cake boxes for Saturday', '>$170 total. Want me to ship them today?', 'yes go ahead and ship them, use the card on file'])), 'close');
  });

  test('signatures with a title, a role or pipes; a department or a legal form is no part of the business; a surname ends at a word', () => {
    const signed = analyze(['Sí, por favor. Me la manda a compras@posadatapatia.mx\nAtte. Lic. Arturo Zamudio']);
    assert.equal(signed.lead.name?.value, 'Arturo Zamudio');
    assert.equal(signed.lead.company, null, 'a title is not the name and the name not the business');
    const piped = analyze(["Fine. Please make sure they're actually black this time.", 'Karen Whitworth | Office Manager | Holt & Pryce Solicitors'], { phoneCountry: 'GB' });
    assert.equal(piped.lead.name?.value, 'Karen Whitworth');
    assert.equal(piped.lead.company?.value, 'Holt & Pryce Solicitors');
    const closing = analyze(['ok gracias.\nLuz Dary\nCafetería Los Almendros'], { phoneCountry: 'CO' });
    assert.equal(closing.lead.name?.value, 'Luz Dary');
    assert.equal(closing.lead.company?.value, 'Cafetería Los Almendros');
    const asadero = analyze(['Buenos días, habla Diego Arango de Asadero El Palenque S.A.S.'], { phoneCountry: 'CO' });
    assert.equal(asadero.lead.name?.value, 'Diego Arango', 'no "Diego Arango de Asader"');
    assert.equal(asadero.lead.company?.value, 'Asadero El Palenque');
    assert.equal(analyze(['Boa tarde, aqui é a Fernanda, do RH da Metalúrgica Sul Forte Ltda'], { phoneCountry: 'BR' }).lead.company?.value, 'Metalúrgica Sul Forte');
    assert.equal(analyze(['Buenos días, le escribo del Hotel Posada Tapatía, estamos renovando habitaciones']).lead.company?.value, 'Hotel Posada Tapatía');
    assert.equal(analyze(['This is the third time. I run a small bookkeeping office, Feld Bookkeeping, and I keep losing mornings'], { phoneCountry: 'CA' }).lead.company?.value, 'Feld Bookkeeping');
    assert.equal(analyze(['>Can I get a name and the address?', 'Marcus Feld. 88 Roncesvalles Ave, unit 2'], { phoneCountry: 'CA' }).lead.name?.value, 'Marcus Feld');
    assert.equal(analyze(['>¿A quién se lo mando?', 'A mí, Mariela, soy la encargada de compras 🙂'], { phoneCountry: 'AR' }).lead.name?.value, 'Mariela');
  });

  test('after a season or a holiday is a low-urgency timeline; a charge, a counteroffer or the price they saw is no budget; paying today is when only if nothing else is', () => {
    const summer = analyze(['estoy liada con la mudanza', 'Lo miraré después del verano seguramente'], { phoneCountry: 'ES' });
    assert.equal(summer.lead.timeline?.value, 'despues del verano');
    assert.equal(summer.lead.urgency?.value, 'low');
    assert.equal(analyze(['vou deixar pra depois do carnaval'], { phoneCountry: 'BR' }).lead.urgency?.value, 'low');
    assert.equal(analyze(['queria começar daqui a 15 dias'], { phoneCountry: 'BR' }).lead.timeline?.value, 'daqui a 15 dias');
    assert.equal(analyze(['necesito el primer pedido la semana que entra'], { phoneCountry: 'CO' }).lead.timeline?.value, 'la semana que entra');
    assert.equal(analyze(['me aparecen DOS cargos de 95 € de la revisión'], { phoneCountry: 'ES' }).lead.budget, null);
    assert.equal(analyze(['no me lo dejan en $20,000? pago de contado']).lead.budget, null);
    assert.equal(analyze(['el colchón que tienen en su página en $24,990 ya es con el descuento?']).lead.budget, null);
    assert.equal(analyze(['ok y si la pago hoy cuándo me la llevan?']).lead.timeline, null, 'paying on a condition');
    assert.equal(analyze(['sí me la llevo, la pago hoy en la tarde en la tienda']).lead.timeline?.value, 'hoy en la tarde');
    assert.ok(analyze(['uf, en otra clínica de mi barrio me lo hacen por 250 €', '¿me lo podéis igualar?'], { phoneCountry: 'ES' }).objections.includes('price'));
    assert.ok(analyze(['Fantastic job really, it is flickering again 👏👏'], { phoneCountry: 'CA' }).topics.includes('complaint'));
  });

  test('a bare hour offered and picked is a booking; telling someone tomorrow is no deadline; found it elsewhere, already with a supplier, the one who keeps the accounts', () => {
    const verdictOf = (analysis: ReturnType<typeof analyze>) => recommend({ ...analysis, urgency: analysis.lead.urgency?.value ?? null });
    assert.equal(verdictOf(analyze(['Quería sacar turno para baño y corte para mi caniche', '>Tenemos el jueves a las 10 o el sábado a las 11:30', 'el sábado a las 11:30 dale'], { phoneCountry: 'AR' })), 'close');
    const telling = analyze(['ok y lo tienen en color grafito?', '>Sí, en grafito', 'va, mañana le digo a ella, es la que manda en la cocina jaja y ya les confirmamos']);
    assert.equal(telling.lead.timeline, null, 'when they will tell her is not when they need it');
    assert.ok(telling.objections.includes('authority'));
    assert.ok(analyze(['vale, está bien de precio. Lo tengo que hablar con mi mujer porque es ella la que lleva las cuentas'], { phoneCountry: 'ES' }).objections.includes('authority'));
    assert.equal(analyze(['Hi, I picked up my laptop from you guys on Tuesday after the repair'], { phoneCountry: 'CA' }).lead.timeline, null, 'a day it was picked up');
    assert.equal(verdictOf(analyze(['vocês vendem o protetor solar?', '>Vendemos sim, R$ 119', 'ah não precisa, já achei na farmácia perto de casa'], { phoneCountry: 'BR' })), 'nurture');
    assert.equal(verdictOf(analyze(["To be honest we're already with Viking and happy with them, just wanted to check your price on A4 pads"], { phoneCountry: 'GB' })), 'nurture');
    assert.equal(analyze(['Bv. Oroño 2150. Hoy antes de las 6 que después me voy a laburar. Cristian Pereyra'], { phoneCountry: 'AR' }).lead.name?.value, 'Cristian Pereyra');
  });

  test('names and companies in the ways people introduce themselves', () => {
    const a = analyze(['Buenas, soy Ignacio Vidal de Bodegas Vidal', 'Necesitamos 10.000 corchos naturales']);
    assert.equal(a.lead.name?.value, 'Ignacio Vidal');
    assert.equal(a.lead.company?.value, 'Bodegas Vidal');
    assert.equal(a.lead.productInterest?.value, '10.000 corchos naturales');
    assert.equal(analyze(['Buenos días, os escribo de Aceites del Sur']).lead.company?.value, 'Aceites del Sur');
    assert.equal(analyze(['Soy Lucas, de Buenos Aires']).lead.company, null, 'a city is no company');
  });

  test('names written in lower case, signed, in a form or "X here"; companies by "somos", their business or their legal form', () => {
    const lead = (...lines: string[]) => analyze(lines).lead;
    assert.equal(lead('hola, me llamo ana ruiz y quiero 3 sillas').name?.value, 'Ana Ruiz');
    assert.equal(lead('¿Tienen envío a Puebla?\n\nSaludos,\nJuan Pérez').name?.value, 'Juan Pérez');
    assert.equal(lead('Thanks - Laura Gómez').name?.value, 'Laura Gómez');
    assert.equal(lead('Hi, Tom here. We need 4 standing desks').name?.value, 'Tom');
    const form = lead('Nombre: Ana Ruiz\nEmpresa: Café Sol');
    assert.deepEqual([form.name?.value, form.company?.value], ['Ana Ruiz', 'Café Sol']);
    const written = lead('Les escribe Carla Núñez de Distribuidora Norte SA de CV');
    assert.deepEqual([written.name?.value, written.company?.value], ['Carla Núñez', 'Distribuidora Norte'], 'without its legal form, as the labelling guide says');
    assert.equal(lead('Somos Café Montaña, tenemos 3 sucursales').company?.value, 'Café Montaña');
    assert.equal(lead('mi tienda se llama La Esquina y busco 20 tazas').company?.value, 'La Esquina');
    assert.equal(lead('Compramos para Acme Inc. cada mes').company?.value, 'Acme');
    assert.equal(lead('Somos 20 personas').company, null, 'a count is no company');
  });

  test('timelines: weekends, fortnights, holidays, counts in words, months', () => {
    const timeline = (text: string) => analyze([text]).lead.timeline?.value;
    assert.equal(timeline('Lo necesito para este fin de semana'), 'este fin de semana');
    assert.equal(timeline('¿Llega en dos semanas?'), 'en dos semanas');
    assert.equal(timeline('Tiene que estar antes de Navidad'), 'antes de navidad');
    assert.equal(timeline('Preciso até o fim do ano'), 'fim do ano');
    assert.equal(timeline('We need it by June 15'), 'by june 15');
    assert.equal(timeline('Hi, Tom here, no date yet'), undefined);
  });
});

describe('offline provider: product interest, purchases, complaints (general rules)', () => {
  test('the interest drops who or where it is for and the politeness after it', () => {
    assert.equal(analyze(['Buenas tardes, ando buscando unas repisas flotantes de madera para mi tienda por favor']).lead.productInterest?.value, 'repisas flotantes de madera');
    assert.equal(analyze(['Oi! Gostaria de orçar 30 camisetas personalizadas para o meu time']).lead.productInterest?.value, '30 camisetas personalizadas');
    assert.equal(analyze(['Necesito un contador para mi declaración anual']).lead.productInterest?.value, 'contador para mi declaración anual', 'what it is for stays');
    assert.equal(analyze(['Hey, do you guys sell standing desks? pls']).lead.productInterest?.value, 'standing desks');
  });

  test('what a question or a complaint is about is the interest when no wish is said', () => {
    assert.equal(analyze(['Buenas, ¿el colchón tiene garantía?']).lead.productInterest?.value, 'colchón');
    assert.equal(analyze(['El portátil que compré no enciende']).lead.productInterest?.value, 'portátil');
    assert.equal(analyze(['Comprei uma panela de pressão e veio amassada']).lead.productInterest?.value, 'panela de pressão');
  });

  test('a purchase said in the present or an order placed is ready to close', () => {
    for (const text of ['ya me decidí, me llevo los audífonos negros', 'Dale, lo compro', 'Fechado! Me manda a chave pix', "We'd like to go ahead with the order, send over the invoice"]) {
      assert.equal(analyze([text]).intent, 'high', text);
    }
  });

  test('plain complaints are complaints: what does not work, came wrong or incomplete, nobody came', () => {
    for (const text of ['me mandaron otro talle, así no me sirve', 'El pedido llegó incompleto, faltan dos sillas', 'Nadie vino, ya me cansé', 'Já mandei mensagem três vezes e ninguém responde', 'The blender arrived cracked, not happy']) {
      const analysis = analyze([text]);
      assert.equal(analysis.sentiment, 'negative', text);
      assert.ok(analysis.topics.includes('complaint') || analysis.topics.includes('support'), `${text}: ${analysis.topics.join(',')}`);
    }
  });

  test('a date in the past is no deadline; names alone, after "acá", "Att:" or before "btw"', () => {
    assert.equal(analyze(['la licuadora no sirve, la compré apenas el sábado']).lead.timeline, null);
    assert.equal(analyze(['la necesito para el sábado']).lead.timeline?.value, 'para el sabado');
    const named: Array<[string, string]> = [['Hola! acá Martín Sosa', 'Martín Sosa'], ['Att: Valentina Rojas', 'Valentina Rojas'], ['Mark Jensen btw', 'Mark Jensen'],
      ['Florencia Ibáñez, flor.ibanez@gmail.com', 'Florencia Ibáñez'], ["It's Olivia Brooks, (312) 555-0178", 'Olivia Brooks'], ['Soy Karla Méndez', 'Karla Méndez']];
    for (const [text, name] of named) {
      assert.equal(analyze([text]).lead.name?.value, name, text);
    }
    assert.equal(analyze(['Qué tal, habla Rogelio Fuentes de Abarrotes Fuentes']).lead.company?.value, 'Abarrotes Fuentes');
    const signed: Array<[string, string]> = [['Pásame presupuesto.\nUn saludo, Pablo Ortega', 'Pablo Ortega'], ['Thanks, Dave', 'Dave'], ['Hola, soy la doctora Carolina Paz', 'Carolina Paz'],
      ['Oi, pode me chamar de Bia', 'Bia'], ['Mi nombre completo es Natalia Gómez Restrepo', 'Natalia Gómez Restrepo']];
    for (const [text, name] of signed) assert.equal(analyze([text]).lead.name?.value, name, text);
    const doctor = analyze(['Hello, this is Dr. Angela Moore from Lakeside Dental']);
    assert.equal(doctor.lead.name?.value, 'Angela Moore');
    assert.equal(doctor.lead.company?.value, 'Lakeside Dental');
  });

  test('names with particles, hyphens and apostrophes; a reply to "¿con quién hablo?" that is only a name', () => {
    assert.equal(analyze(['Buenas tardes, les saluda Ana Sofía Villarreal Garza']).lead.name?.value, 'Ana Sofía Villarreal Garza');
    assert.equal(analyze(['Bom dia! Preciso de um eletricista\n— Renata da Costa']).lead.name?.value, 'Renata da Costa');
    assert.equal(analyze(['Soy Marcelo da Distribuidora Sul']).lead.name?.value, 'Marcelo', 'a company after "da" is no surname');
    assert.equal(analyze(['Hola, quiero una consulta', '>Claro, ¿me compartes tu nombre completo?', 'maría de la luz hernández']).lead.name?.value, 'María de la Luz Hernández');
    // "At your service" after the name, in every form, whether or not the business asked for it.
    for (const service of ['para servirle', 'a sus órdenes', 'a tus órdenes', 'a su orden', 'a la orden']) {
      assert.equal(analyze(['Buenas, necesito cotizar 20 sillas', `Teresa Quiroga ${service}`]).lead.name?.value, 'Teresa Quiroga', service);
      assert.equal(analyze(['Buenas, necesito cotizar 20 sillas', '>Con gusto, ¿su nombre?', `teresa quiroga ${service}`]).lead.name?.value, 'Teresa Quiroga', `${service}, answering`);
    }
    assert.equal(analyze(['¿hacen mudanzas?', '>Sí, ¿con quién hablo?', 'Con Gonzalo']).lead.name?.value, 'Gonzalo');
    assert.equal(analyze(['Need a quote', '>Sure! Who am I speaking with?', "Kevin O'Brien"]).lead.name?.value, "Kevin O'Brien");
    assert.equal(analyze(['¿hacen mudanzas?', '>Sí, ¿con quién hablo?', 'quiero saber el precio']).lead.name, null, 'an answer that is no name');
    assert.equal(analyze(['Oi, eu sou Juliana, quero um orçamento']).lead.name?.value, 'Juliana');
    assert.equal(analyze(['Hi, Sarah Lee from Bright Dental here, we need 40 chairs']).lead.name?.value, 'Sarah Lee');
  });

  test('"todavía no llega" is a complaint, not a timing objection; asking where to deposit is buying', () => {
    const late = analyze(['Hola, todavía no llega mi pedido y ya pasaron 10 días', 'quiero cancelar el pedido']);
    assert.deepEqual(late.objections, []);
    assert.ok(late.topics.includes('complaint'), late.topics.join(','));
    assert.equal(late.lead.productInterest, null, 'cancelling is no interest');
    assert.equal(analyze(['¿A qué cuenta les deposito? Quiero el comedor de 6 sillas']).intent, 'high');
    assert.equal(analyze(['Still waiting on my refund for the jacket I returned']).sentiment, 'negative');
  });
});

describe('offline provider: sentiment, urgency, topics', () => {
  test('sarcasm, negation and intensifiers', () => {
    assert.equal(analyze(['Qué maravilla de servicio, tres días esperando una respuesta 🙃']).sentiment, 'negative');
    assert.equal(analyze(['Excelente atención eh, me cambiaron la cita tres veces sin avisar', 'Genial, ahora perdí el día de trabajo']).sentiment, 'negative');
    assert.equal(analyze(['No me gustó nada el producto']).sentiment, 'negative');
    assert.equal(analyze(['No está mal el precio, lo pienso']).sentiment, 'neutral', 'a denied complaint is no complaint');
    assert.equal(analyze(['Muchísimas gracias, quedó perfecto']).sentiment, 'positive');
    assert.equal(analyze(['Ok gracias, por ahora no']).sentiment, 'neutral', 'politeness alone is not warmth');
  });

  test('voice-note placeholders and emoji-only messages: no invented data, emoji read for mood', () => {
    const voice = analyze(['Audio', 'Audio']);
    assert.deepEqual(Object.values(voice.lead).filter(Boolean), []);
    assert.equal(voice.summary, '', 'nothing to summarize');
    assert.equal(analyze(['😍😍🔥']).sentiment, 'positive');
    assert.equal(analyze(['😡😡']).sentiment, 'negative');
  });

  test('urgency said both ways', () => {
    assert.equal(analyze(['No es urgente, sería hasta abril']).lead.urgency?.value, 'low');
    assert.equal(analyze(['la necesito para hoy']).lead.urgency?.value, 'high');
    assert.equal(analyze(['Perdí toda la mañana esperando']).lead.timeline, null, '"la mañana" is a morning, not tomorrow');
  });

  test("a workspace's own words extend the topics", () => {
    const lines = ['¿Mandan por mensajería a Puebla?'];
    assert.ok(!analyze(lines).topics.includes('shipping'), 'not a built-in word');
    assert.ok(analyze(lines, { topicWords: { shipping: ['mensajería'] } }).topics.includes('shipping'), 'the workspace word counts');
  });
});

describe('offline provider: summary and next action', () => {
  test('the summary is extractive, in the third person, with the budget and timeline', () => {
    const analysis = analyze([
      'Hola buenas tardes',
      'Necesito 12 prensas francesas para mi cafetería',
      'Tengo un presupuesto de 8 mil pesos y quiero decidir este mes',
    ]);
    assert.match(analysis.summary, /Necesita 12 prensas francesas para su cafetería/);
    assert.match(analysis.summary, /8 mil pesos/);
    assert.match(analysis.summary, /este mes/);
    assert.doesNotMatch(analysis.summary, /Hola/);
    const english = analyze(['I need a physical therapy evaluation for my knee']);
    assert.equal(english.summary, 'Needs a physical therapy evaluation for their knee.');
  });

  test('the next action follows the recommendation, who spoke last and the open deal', () => {
    const ready = analyze(['Quiero la pantalla de 55 pulgadas, ¿me mandan el link de pago? Hasta $12,000', 'la necesito esta semana']);
    assert.equal(ready.nextAction, 'Enviar el enlace de pago y confirmar el pedido.');
    const asking = analyze(['¿Cuánto cuesta la limpieza dental?']);
    assert.match(asking.nextAction, /^Responder su pregunta; /);
    const waiting = analyze(['Quiero cotizar 20 sillas', '>Claro, ¿para cuándo las necesita?']);
    assert.match(waiting.nextAction, /^Esperar su respuesta y, si no contesta, hacer seguimiento; luego: /);
    const staged = analyze(['Quiero cotizar 20 sillas'], { deal: { id: 'dl_1', title: 'Sillas', stage: 'Propuesta', amount: 0, currency: 'MXN' } });
    assert.match(staged.nextAction, /^Etapa «Propuesta»: /);
  });
});
