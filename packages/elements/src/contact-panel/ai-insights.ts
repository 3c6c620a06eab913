import { css, html, nothing } from 'lit';
import type { AiFilledField, ContactInsights, LeadField, Qualification } from '@charla/protocol';
import type { LocalizeController, StringKey } from '../i18n/localize-controller.js';
import { contactStrings } from './contact.strings.js';
import { useStrings } from '../i18n/strings.js';

useStrings(contactStrings);

const TREND_ARROWS = { improving: '↗', steady: '→', worsening: '↘' } as const;
const BANT = ['budget', 'authority', 'need', 'timing'] as const;
const LEAD_LABELS: readonly LeadField[] = ['name', 'email', 'phone', 'company', 'productInterest', 'budget', 'timeline', 'urgency'];

/** The verdict in the reader's language: "High intent — timing objection — recommend urgency alignment". */
export function verdictText(i18n: LocalizeController, qualification: Qualification): string {
  const objection = qualification.objection ? i18n.t(`ai.objection.${qualification.objection}`) : i18n.t('ai.objection.none');
  return `${i18n.t(`ai.intent.${qualification.intent}`)} — ${objection} — ${i18n.t(`ai.recommend.${qualification.recommendation}`)}`;
}

function fieldLabel(i18n: LocalizeController, field: string): string {
  return (LEAD_LABELS as readonly string[]).includes(field) ? i18n.t(`ai.field.${field}` as StringKey) : field;
}

function fieldValue(i18n: LocalizeController, field: AiFilledField): string {
  return field.field === 'urgency' && ['low', 'medium', 'high'].includes(field.value) ? i18n.t(`ai.urgency.${field.value}` as StringKey) : field.value;
}

/** Beside a contact field the analysis filled: an "AI" mark whose text names the source message. */
export function aiFieldMark(i18n: LocalizeController, insights: ContactInsights | null, field: string) {
  const filled = insights?.filledFields.find((entry) => entry.field === field);
  if (!filled) return nothing;
  const source = i18n.t('ai.filledFrom', { excerpt: filled.excerpt });
  return html`<span class="ai-badge ai-mark" title=${source}><span aria-hidden="true">AI</span><span class="visually-hidden">${source}</span></span>`;
}

/**
 * The contact panel's "AI insights" section: summary, sentiment with its trend, topics, the next
 * action, the qualification verdict with its BANT answers, and the fields the analysis filled,
 * each with the message it came from. Text only: nothing here is rendered as HTML.
 */
export function renderAiInsights(
  i18n: LocalizeController,
  insights: ContactInsights | null,
  loading: boolean,
  /** Shows the message a field came from (the thread scrolls to it). */
  reveal: (field: AiFilledField) => void,
) {
  const insight = insights?.insight ?? null;
  const filled = insights?.filledFields ?? [];
  const ready = insight && insight.summary !== null;
  return html`<section part="section ai-insights" class="ai" aria-labelledby="ai-insights" aria-busy=${insight?.status === 'pending' ? 'true' : 'false'}>
    <h3 id="ai-insights">${i18n.t('ai.title')}</h3>
    ${insight?.status === 'pending' ? html`<p class="ai-state" role="status">${i18n.t('ai.pending')}</p>` : nothing}
    ${insight?.status === 'failed' ? html`<p class="ai-state error" role="alert">${i18n.t('ai.failed', { reason: insight.error ?? '' })}</p>` : nothing}
    ${!insight && !loading ? html`<p class="empty">${i18n.t('ai.none')}</p>` : nothing}
    ${ready
      ? html`${insight.summary ? html`<p class="ai-summary" part="ai-summary">${insight.summary}</p>` : nothing}
          <dl>
            ${insight.sentiment
              ? html`<dt>${i18n.t('ai.sentiment')}</dt>
                  <dd>
                    <span class="sentiment sentiment-${insight.sentiment}">${i18n.t(`ai.sentiment.${insight.sentiment}`)}</span>
                    ${insight.sentimentTrend
                      ? html`<span class="muted trend"><span aria-hidden="true">${TREND_ARROWS[insight.sentimentTrend]}</span> ${i18n.t(`ai.trend.${insight.sentimentTrend}`)}</span>`
                      : nothing}
                  </dd>`
              : nothing}
            ${insight.topics.length > 0
              ? html`<dt>${i18n.t('ai.topics')}</dt>
                  <dd class="chips">${insight.topics.map((topic) => html`<span class="chip">${i18n.t(`ai.topic.${topic}`)}</span>`)}</dd>`
              : nothing}
            ${insight.nextAction ? html`<dt>${i18n.t('ai.nextAction')}</dt><dd class="next-action">${insight.nextAction}</dd>` : nothing}
          </dl>
          ${insight.qualification ? renderQualification(i18n, insight.qualification) : nothing}`
      : nothing}
    ${filled.length > 0
      ? html`<h4 class="ai-sub">${i18n.t('ai.filled')}</h4>
          <ul class="ai-filled">
            ${filled.map(
              (field) => html`<li data-field=${field.field}>
                <span class="ai-badge" aria-hidden="true">AI</span>
                <span><strong>${fieldLabel(i18n, field.field)}</strong>: ${fieldValue(i18n, field)}
                  <button
                    type="button"
                    class="link ai-source"
                    title=${i18n.t('ai.filledFrom', { excerpt: field.excerpt })}
                    @click=${() => reveal(field)}
                  >${i18n.t('ai.fromMessage')}<span class="visually-hidden">: ${i18n.t('ai.filledFrom', { excerpt: field.excerpt })}</span></button></span>
              </li>`,
            )}
          </ul>`
      : nothing}
  </section>`;
}

function renderQualification(i18n: LocalizeController, qualification: Qualification) {
  return html`<div class="verdict" part="ai-verdict">
    <h4 class="ai-sub">${i18n.t('ai.qualification')}</h4>
    <p class="verdict-text"><strong>${verdictText(i18n, qualification)}</strong></p>
    <p class="verdict-meta">
      <span class="score">${i18n.t('ai.score', { score: qualification.score })}</span>
      ${qualification.qualified ? html`<span class="qualified">✓ ${i18n.t('ai.qualified')}</span>` : nothing}
    </p>
    <dl class="bant">
      ${BANT.map(
        (part) => html`<dt>${i18n.t(`ai.bant.${part}`)}</dt>
          <dd>${qualification.bant[part]?.value ?? html`<span class="empty">${i18n.t('ai.bant.unknown')}</span>`}</dd>`,
      )}
    </dl>
  </div>`;
}

export const aiInsightsStyles = css`
  .ai .ai-summary {
    margin: 0 0 10px;
    line-height: 1.45;
  }
  .ai .ai-state {
    margin: 0 0 8px;
    color: var(--charla-color-text-muted, #5b6777);
  }
  .ai .ai-sub {
    margin: 12px 0 6px;
    font-size: var(--charla-font-size-s, 12px);
    font-weight: 600;
    color: var(--charla-color-text-muted, #5b6777);
  }
  .ai .sentiment {
    display: inline-block;
    white-space: nowrap;
    padding: 1px 8px;
    border-radius: 999px;
    font-weight: 600;
    margin-right: 6px;
  }
  .ai .sentiment::before {
    content: '';
    display: inline-block;
    width: 8px;
    height: 8px;
    margin-right: 5px;
    border-radius: 50%;
    background: currentColor;
  }
  .ai .sentiment-positive {
    background: color-mix(in srgb, var(--charla-color-success, #1a7f37) 16%, transparent);
    color: var(--charla-color-text, #1d2530);
  }
  .ai .sentiment-positive::before {
    background: var(--charla-color-success, #1a7f37);
  }
  .ai .sentiment-neutral {
    background: var(--charla-color-surface-sunken, #eef1f5);
    color: var(--charla-color-text, #1d2530);
  }
  .ai .sentiment-negative {
    background: var(--charla-color-danger-soft, #fde8e8);
    color: var(--charla-color-text, #1d2530);
  }
  .ai .sentiment-negative::before {
    background: var(--charla-color-danger, #c62828);
  }
  .ai .trend {
    white-space: nowrap;
  }
  .ai .verdict {
    margin-top: 10px;
    padding: 8px 10px;
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-surface-sunken, #f3f5f8);
  }
  .ai .verdict .ai-sub {
    margin-top: 0;
  }
  .ai .verdict-text {
    margin: 0 0 4px;
  }
  .ai .verdict-meta {
    display: flex;
    gap: 10px;
    margin: 0 0 8px;
    color: var(--charla-color-text-muted, #5b6777);
  }
  .ai .qualified {
    color: var(--charla-color-success, #1a7f37);
    font-weight: 600;
  }
  .ai .ai-filled {
    display: grid;
    gap: 6px;
  }
  .ai .ai-filled li {
    display: flex;
    gap: 8px;
    align-items: baseline;
  }
  .ai-mark {
    margin-left: 6px;
    vertical-align: middle;
  }
  .ai .ai-badge,
  .ai-mark {
    flex: none;
    padding: 0 5px;
    border-radius: 4px;
    font-size: 10px;
    font-weight: 700;
    background: var(--charla-color-primary-soft, #e7f0ff);
    color: var(--charla-color-text, #1d2530);
  }
  .ai .ai-source {
    margin-left: 4px;
    padding: 0;
    border: 0;
    background: none;
    font: inherit;
    font-size: var(--charla-font-size-s, 12px);
    color: var(--charla-color-primary, #1f6feb);
    text-decoration: underline;
    cursor: pointer;
  }
`;
