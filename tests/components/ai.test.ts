import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../fixtures/locales.js';
import type { CharlaContactPanel, CharlaThread, CharlaTimeline } from '@charla/elements';
import type { ContactInsights } from '@charla/protocol';
import { contactInsights } from '../fixtures/ai.js';
import { contact, conversation, message, minutesAgo } from '../fixtures/entities.js';

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

async function panel(insights: ContactInsights | null, lang = 'en') {
  return fixture<CharlaContactPanel>(html`<charla-contact-panel
    lang=${lang}
    contact-id="ct_maria"
    .contact=${contact({ email: 'maria@cafeslopez.mx' })}
    .insights=${insights}
  ></charla-contact-panel>`);
}

const section = (el: CharlaContactPanel) => el.shadowRoot!.querySelector<HTMLElement>('[part~="ai-insights"]')!;

describe('AI insights in charla-contact-panel', () => {
  it('shows the summary, sentiment with its trend, topics, next action and a labelled verdict with BANT', async () => {
    const el = await panel(contactInsights());
    const ai = section(el);
    expect(text(ai.querySelector('h3'))).to.equal('AI insights');
    expect(text(ai.querySelector('.ai-summary'))).to.contain('150 tazas personalizadas');
    expect(text(ai)).to.contain('Positive').and.contain('improving');
    expect([...ai.querySelectorAll('.chip')].map(text)).to.deep.equal(['Pricing', 'Product', 'Shipping']);
    expect(text(ai.querySelector('.next-action'))).to.equal('Acordar una fecha: mostrar qué gana si decide ahora.');
    const verdict = ai.querySelector('[part="ai-verdict"]')!;
    expect(text(verdict.querySelector('.verdict-text'))).to.equal('High intent — timing objection — recommend urgency alignment');
    expect(text(verdict)).to.contain('Score 65/100').and.contain('Qualified lead').and.contain('Budget $15,000 MXN').and.contain('Timing Not yet');
    await expect(el).to.be.accessible();
  });

  it('marks each AI-filled field with the message it came from', async () => {
    const el = await panel(contactInsights());
    const filled = [...section(el).querySelectorAll<HTMLElement>('.ai-filled li')];
    expect(filled.map((item) => item.dataset.field)).to.deep.equal(['email', 'budget']);
    expect(text(filled[0])).to.contain('Email: maria@cafeslopez.mx').and.contain('Filled by AI from the message: “Mi correo es maria@cafeslopez.mx');
    // The email in the details carries the mark too; the phone was not filled by AI.
    const details = el.shadowRoot!.querySelector('[aria-labelledby="details"]')!;
    const [email, phone] = [...details.querySelectorAll('dd')];
    expect(text(email!.querySelector('.ai-mark'))).to.contain('Filled by AI from the message');
    expect(phone!.querySelector('.ai-mark')).to.be.null;
  });

  it('speaks Spanish and Portuguese', async () => {
    const es = await panel(contactInsights(), 'es');
    expect(text(section(es).querySelector('.verdict-text'))).to.equal('Intención alta — objeción de tiempo — se recomienda alinear la urgencia');
    expect(text(section(es).querySelector('h3'))).to.equal('Análisis con IA');
    const pt = await panel(contactInsights(), 'pt');
    expect(text(section(pt).querySelector('.verdict-text'))).to.equal('Intenção alta — objeção de prazo — recomenda-se alinhar a urgência');
  });

  it('says when the analysis is running, failed, or has not happened yet', async () => {
    const pending = await panel(contactInsights({ status: 'pending' }));
    expect(text(section(pending).querySelector('[role="status"]'))).to.equal('Analyzing the conversation…');
    const failed = await panel(contactInsights({ status: 'failed', error: 'The AI provider timed out' }));
    expect(text(section(failed).querySelector('[role="alert"]'))).to.equal('The analysis failed: The AI provider timed out');
    const none = await panel({ contactId: 'ct_maria', insight: null, filledFields: [] });
    expect(text(section(none))).to.contain('No analysis yet');
  });

  it('stays accessible while the analysis runs or after it failed', async () => {
    const failed = await panel(contactInsights({ status: 'failed', error: 'The AI provider timed out' }));
    await expect(failed).to.be.accessible();
    failed.insights = contactInsights({ status: 'pending' });
    await failed.updateComplete;
    await expect(failed).to.be.accessible();
  });

  it('renders AI text as text, never as HTML', async () => {
    const el = await panel(contactInsights({ summary: 'Quiere <img src=x onerror=alert(1)> tazas' }));
    expect(section(el).querySelector('img')).to.be.null;
    expect(text(section(el).querySelector('.ai-summary'))).to.contain('<img');
  });
});

async function thread() {
  return fixture<CharlaThread>(html`<charla-thread
    lang="en"
    style="height: 600px"
    conversation-id="cv_1"
    .conversation=${conversation()}
    .contact=${contact()}
    .messages=${[message({ id: 'msg_1', body: 'Hola, ¿cuánto cuestan 150 tazas?', createdAt: minutesAgo(5) })]}
  ></charla-thread>`);
}

describe('reply suggestions in charla-thread', () => {
  it('asks for suggestions, shows them, and puts the chosen one in the composer without sending it', async () => {
    const el = await thread();
    const button = el.shadowRoot!.querySelector<HTMLButtonElement>('.suggest-replies')!;
    expect(text(button)).to.contain('Suggest replies');
    setTimeout(() => button.click());
    const asked = await oneEvent(el, 'charla-reply-suggest');
    expect(asked.detail).to.deep.equal({ conversationId: 'cv_1' });

    el.replySuggestions = ['¡Claro, María! Te preparo la cotización.', '¿Para qué fecha las necesitas?'];
    await el.updateComplete;
    const options = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.reply-suggestion')];
    expect(options.map(text)).to.deep.equal(['¡Claro, María! Te preparo la cotización.', '¿Para qué fecha las necesitas?']);
    expect(el.shadowRoot!.querySelector('[part="reply-suggestions"]')!.getAttribute('aria-label')).to.equal('Suggested replies');
    await expect(el).to.be.accessible();

    let sent = false;
    el.addEventListener('charla-message-send', () => (sent = true));
    options[1]!.click();
    await el.updateComplete;
    const textarea = el.shadowRoot!.querySelector('textarea')!;
    expect(textarea.value).to.equal('¿Para qué fecha las necesitas?');
    expect(el.shadowRoot!.activeElement).to.equal(textarea);
    expect(el.shadowRoot!.querySelector('.reply-suggestion')).to.be.null;
    expect(sent).to.be.false;
  });

  it('shows under each suggestion what it used, and reads it to screen readers with the suggestion', async () => {
    const el = await thread();
    el.replySuggestions = ['¡Hola María! Sí, enviamos a todo México en 48 horas.', '¿Para qué fecha las necesitas?'];
    el.replySuggestionSources = [
      [{ kind: 'knowledge', id: 'kb_1', chunkId: 'kc_1', title: '¿Hacen envíos?' }, { kind: 'profile', id: 'ct_maria', title: 'María López' }],
      [],
    ];
    await el.updateComplete;
    const sources = [...el.shadowRoot!.querySelectorAll<HTMLElement>('.reply-sources')];
    expect(sources.map(text)).to.deep.equal(['From knowledge «¿Hacen envíos?» · profile «María López»']);
    const [first, second] = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.reply-suggestion')];
    expect(el.shadowRoot!.getElementById(first!.getAttribute('aria-describedby')!)).to.equal(sources[0]);
    expect(second!.hasAttribute('aria-describedby')).to.be.false;
    await expect(el).to.be.accessible();
    const spanish = await fixture<CharlaThread>(html`<charla-thread lang="es" style="height: 600px" conversation-id="cv_1"
      .conversation=${conversation()} .contact=${contact()} .messages=${[]}
      .replySuggestions=${el.replySuggestions} .replySuggestionSources=${el.replySuggestionSources}></charla-thread>`);
    await waitUntil(() => text(spanish.shadowRoot!.querySelector('.reply-sources')!).startsWith('Basada'), 'the Spanish strings load');
    expect(text(spanish.shadowRoot!.querySelector('.reply-sources')!)).to.equal('Basada en conocimiento «¿Hacen envíos?» · perfil «María López»');
  });

  it('offers suggestions for replies only, not for private notes', async () => {
    const el = await thread();
    const noteMode = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.modes button')].find((b) => text(b) === 'Note')!;
    noteMode.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.suggest-replies')).to.be.null;
  });
});

describe('AI summaries on charla-timeline', () => {
  it('shows a conversation\'s latest AI summary as an item that opens the conversation', async () => {
    const item = {
      id: 'ai:cv_1', kind: 'insight' as const, at: minutesAgo(2), contactId: 'ct_maria', conversationId: 'cv_1', dealId: null, taskId: null,
      text: 'Quiere 150 tazas personalizadas; decide el mes que viene.', channel: 'whatsapp', amount: null, currency: null, rule: null, actor: null,
      status: 'positive',
    };
    const el = await fixture<CharlaTimeline>(html`<charla-timeline lang="en" style="height: 400px; width: 520px" .items=${[item]}></charla-timeline>`);
    await waitUntil(() => el.shadowRoot!.querySelector('article'), 'renders the item');
    const article = el.shadowRoot!.querySelector<HTMLElement>('article')!;
    expect(text(article.querySelector('.label'))).to.equal('AI summary');
    expect(text(article)).to.contain('Quiere 150 tazas personalizadas');
    expect([...el.shadowRoot!.querySelectorAll('label.chip')].map(text)).to.include('AI insights');
    await expect(el).to.be.accessible();
    setTimeout(() => article.click());
    expect((await oneEvent(el, 'charla-timeline-open')).detail).to.include({ kind: 'insight', conversationId: 'cv_1' });
  });
});
