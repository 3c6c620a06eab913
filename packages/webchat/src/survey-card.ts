/**
 * The satisfaction survey's card, loaded only when a survey arrives (the opened widget's bundle
 * carries none of it): a comment, then five stars that each send it with their rating. Its words
 * come with the survey in every language.
 */
// Types only: lit stays in the panel's own file (the panel hands its `html` over).
import type { html as Html, TemplateResult } from 'lit';
import type { CsatQuestionContent, VisitorMessage } from '@charla/protocol';
import type { VisitorClient } from '@charla/client';
import type { Locale } from './i18n.js';

// Styled here, not in the panel's stylesheet, so the opened widget carries none of it.
const FIELD = 'padding:8px 12px;border:1px solid var(--_border);border-radius:10px;background:var(--_surface-alt);color:var(--_text);font:inherit';
const STAR = 'border:0;background:none;color:#f5a623;font-size:30px;cursor:pointer';

/** Surveys answered on this page. */
const answered = new Set<string>();

export function surveyCard(
  html: typeof Html,
  message: VisitorMessage,
  locale: Locale,
  client: VisitorClient | undefined,
  redraw: () => void,
): TemplateResult {
  const survey = message.content!['csat'] as CsatQuestionContent;
  const words = survey.words[locale];
  const done = answered.has(survey.surveyId);
  if (done || Date.parse(survey.expiresAt) <= Date.now()) {
    return html`<p part="csat" class="card csat" role="status">${done ? words.thanks : words.closed}</p>`;
  }
  const send = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    try {
      await client?.request('csat.submit', {
        surveyId: survey.surveyId,
        rating: Number((event.submitter as HTMLButtonElement).value),
        comment: (form.elements.namedItem('comment') as HTMLTextAreaElement).value,
      });
    } catch (error) {
      // Answered meanwhile (another tab) is answered; anything else can be tried again.
      if (!/already answered/.test(String(error))) return;
    }
    answered.add(survey.surveyId);
    redraw();
  };
  return html`<form part="csat" class="card csat" @submit=${send}>
    <h3>${survey.questions[locale] ?? message.body}</h3>
    <label class="input">${words.comment}<textarea part="input" name="comment" maxlength="1000" style=${FIELD}></textarea></label>
    <div role="group" aria-label=${words.send}>${[1, 2, 3, 4, 5].map((rating) =>
      html`<button part="star" value=${rating} aria-label=${words.stars.replace('{rating}', String(rating))} style=${STAR}>★</button>`)}</div>
  </form>`;
}
