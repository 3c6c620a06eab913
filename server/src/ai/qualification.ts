/**
 * BANT qualification, the same for every provider: a score from the answers captured so far and
 * a labelled verdict an agent can act on ("High intent — timing objection — recommend urgency
 * alignment"), never a bare number.
 */
import type { Analysis, Objection, Qualification, Recommendation } from '@charla/protocol';

type Signals = Pick<Analysis, 'intent' | 'objections' | 'topics' | 'sentiment' | 'bant'> & { urgency: string | null };

/** What the agent should do next about this lead. */
export function recommend(signals: Signals): Recommendation {
  const { intent, objections, topics, sentiment, bant } = signals;
  if (topics.includes('complaint') || (topics.includes('support') && sentiment === 'negative')) return 'resolve_issue';
  const objection = objections[0];
  if (objection === 'timing') return 'align_urgency';
  if (objection === 'authority') return 'reach_decision_maker';
  if (objection === 'price') return 'show_value';
  if (objection === 'need') return 'nurture';
  // Ready to buy (or need, budget and date all said): send the payment link.
  if (intent === 'high') return 'close';
  // A budget, or a date that presses, is enough to quote; otherwise learn the budget first.
  if (intent === 'medium') return bant.budget || (bant.timing && signals.urgency !== 'low') ? 'send_quote' : 'discover_budget';
  return 'nurture';
}

const RECOMMENDATION_LABELS: Record<Recommendation, string> = {
  close: 'closing now',
  send_quote: 'sending a quote',
  discover_budget: 'asking about budget',
  align_urgency: 'urgency alignment',
  reach_decision_maker: 'involving the decision maker',
  show_value: 'showing value before price',
  resolve_issue: 'resolving the issue first',
  nurture: 'nurturing the relationship',
};

export function qualify(analysis: Analysis, threshold: number | null): Qualification {
  const { bant, intent, objections, sentiment } = analysis;
  const urgency = analysis.lead.urgency?.value ?? null;
  let score = 0;
  if (bant.budget) score += 20;
  if (bant.authority && !objections.includes('authority')) score += 15;
  if (bant.need) score += 20;
  if (bant.timing) score += urgency === 'high' ? 25 : 20;
  score += intent === 'high' ? 20 : intent === 'medium' ? 10 : 0;
  score -= 10 * objections.length;
  if (sentiment === 'negative') score -= 5;
  score = Math.max(0, Math.min(100, score));
  const objection: Objection | null = objections[0] ?? null;
  const recommendation = recommend({ ...analysis, urgency });
  const intentLabel = `${intent[0]!.toUpperCase()}${intent.slice(1)} intent`;
  const verdict = `${intentLabel} — ${objection ? `${objection} objection` : 'no objection yet'} — recommend ${RECOMMENDATION_LABELS[recommendation]}`;
  return {
    bant, score, intent, objection, recommendation, verdict,
    qualified: threshold !== null && score >= threshold,
    dealId: null,
  };
}
