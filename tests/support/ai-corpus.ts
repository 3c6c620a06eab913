/**
 * The labelled AI corpus (tests/fixtures/ai-corpus/*.json) and how a provider's analyses are
 * scored against it: per-field precision and recall of the lead fields, verdict (recommendation)
 * and sentiment accuracy, topics, BANT parts and ROUGE-L of the summary against the reference.
 *
 * Every fifth conversation of each file is held out: the offline heuristics are tuned on the
 * others, and figures are reported on both parts so overfitting shows. A blind file (`"blind":
 * true`, today `fresh.json`) is written by someone who has not read the heuristics, after they were
 * frozen, and never tuned on. Once its misses have been looked at to improve the heuristics it is
 * spent: it is marked `"seen": true` (`seen-blind.json`, the first blind file) and counts with the
 * tuning part, none of it held out, and a new blind file takes its place.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Analysis, LeadField, Recommendation, Sentiment, Topic } from '@charla/protocol';
import { LEAD_FIELDS } from '@charla/protocol';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { budgetAmount, type Amount } from '../../server/src/ai/budget.js';
import type { AnalysisInput, ConversationLine } from '../../server/src/ai/provider.js';
import { qualify } from '../../server/src/ai/qualification.js';

export const HARD_CASES = [
  'correction', 'shared-number', 'spaced-number', 'no-country-code', 'mil-amount', 'k-amount', 'sarcasm', 'voice-note', 'emoji-only',
] as const;
export const SECTORS = ['retail', 'wholesale', 'clinic', 'services'] as const;

export interface CorpusConversation {
  id: string;
  locale: string;
  /** ISO country: national phone numbers and "$"/"pesos" are read in it. */
  country: string;
  currency: string;
  sector: (typeof SECTORS)[number];
  hard: Array<(typeof HARD_CASES)[number]>;
  /** What was written, in order; lines starting with `>` are the business's. */
  lines: string[];
  lead: Partial<Record<Exclude<LeadField, 'budget'>, string>> & { budget?: Amount };
  sentiment: Sentiment;
  topics: Topic[];
  bant: Record<'budget' | 'authority' | 'need' | 'timing', boolean>;
  verdict: Recommendation;
  summary: string;
  heldOut: boolean;
  /** Written after the offline heuristics were frozen. */
  blind: boolean;
}

interface CorpusFile {
  locale: string;
  country: string;
  currency: string;
  blind?: boolean;
  /** Looked at while tuning (a spent blind file): all of it is tuning part. */
  seen?: boolean;
  conversations: Array<Omit<CorpusConversation, 'locale' | 'country' | 'currency' | 'heldOut' | 'blind'> & Partial<Pick<CorpusConversation, 'locale' | 'country' | 'currency'>>>;
}

const DIR = fileURLToPath(new URL('../fixtures/ai-corpus/', import.meta.url));

export function loadCorpus(): CorpusConversation[] {
  return readdirSync(DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .flatMap((file) => {
      const data = JSON.parse(readFileSync(`${DIR}${file}`, 'utf8')) as CorpusFile;
      return data.conversations.map((conversation, index) => ({
        ...conversation,
        locale: conversation.locale ?? data.locale,
        country: conversation.country ?? data.country,
        currency: conversation.currency ?? data.currency,
        // A conversation without hard cases may leave the list out.
        hard: conversation.hard ?? [],
        heldOut: !data.blind && !data.seen && index % 5 === 4,
        blind: data.blind ?? false,
      }));
    });
}

/** The conversation as a provider reads it (one minute between messages). */
export function analysisInput(conversation: CorpusConversation): AnalysisInput {
  const messages: ConversationLine[] = conversation.lines.map((text, position) => ({
    id: `${conversation.id}_${position}`,
    from: text.startsWith('>') ? 'business' : 'customer',
    body: text.replace(/^>/, ''),
    createdAt: new Date(Date.UTC(2026, 0, 5, 12, position)).toISOString(),
  }));
  return {
    workspaceId: 'ws_corpus', messages, contact: { name: null, email: null, phone: null, attributes: {} }, phoneCountry: conversation.country,
  };
}

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const tokens = (text: string) => fold(text).split(/[^\p{L}\p{N}@.+]+/u).map((token) => token.replace(/^[.]+|[.]+$/g, '')).filter(Boolean);
const LEGAL_SUFFIXES = new Set(['sa', 'sas', 'llp', 'llc', 'inc', 'ltda', 'ltd', 's.a', 's.a.', 'de', 'cv', 'sl', 'me']);
const companyKey = (text: string) => tokens(text).filter((token) => !LEGAL_SUFFIXES.has(token)).join(' ');

/** Longest common subsequence of two token lists (ROUGE-L's core). */
function lcs(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let previous = 0;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j]!;
      row[j] = x === b[j - 1] ? previous + 1 : Math.max(row[j]!, row[j - 1]!);
      previous = current;
    }
  }
  return row[b.length]!;
}

/** ROUGE-L F1 of a summary against the reference, on folded word tokens. */
export function rougeL(candidate: string, reference: string): number {
  const a = tokens(candidate);
  const b = tokens(reference);
  if (a.length === 0 || b.length === 0) return 0;
  const common = lcs(a, b);
  if (common === 0) return 0;
  const precision = common / a.length;
  const recall = common / b.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Whether a provider's value for `field` says what the label says. */
export function sameValue(field: LeadField, value: string, conversation: CorpusConversation): boolean {
  const label = conversation.lead[field];
  if (label === undefined) return false;
  switch (field) {
    case 'email':
      return value.trim().toLowerCase() === String(label).toLowerCase();
    case 'phone':
      return parsePhoneNumberFromString(value, conversation.country as CountryCode)?.number === label;
    case 'budget': {
      const expected = label as Amount;
      const read = budgetAmount(value, conversation.currency);
      return read !== null && read.currency === expected.currency && Math.abs(read.amount - expected.amount) <= expected.amount * 0.01;
    }
    case 'name':
      return tokens(value).join(' ') === tokens(String(label)).join(' ');
    case 'company':
      return companyKey(value) === companyKey(String(label));
    case 'timeline': {
      const a = fold(value).trim();
      const b = fold(String(label)).trim();
      return a.length > 0 && (a.includes(b) || b.includes(a));
    }
    case 'urgency':
      return value === label;
    case 'productInterest': {
      // Token F1 ≥ 0.5: the same thing, named a little more or less fully.
      const a = tokens(value);
      const b = tokens(String(label));
      const common = a.filter((token) => b.includes(token)).length;
      return common > 0 && (2 * common) / (a.length + b.length) >= 0.5;
    }
  }
}

export interface FieldScore { precision: number; recall: number; predicted: number; labelled: number; correct: number }
export interface CorpusScore {
  conversations: number;
  fields: Record<LeadField, FieldScore>;
  verdictAccuracy: number;
  sentimentAccuracy: number;
  topics: { precision: number; recall: number };
  bantAccuracy: number;
  rougeL: number;
  /** Mean F1 over the lead fields: the headline figure. */
  leadF1: number;
  misses: string[];
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);

export function score(results: ReadonlyArray<{ conversation: CorpusConversation; analysis: Analysis }>): CorpusScore {
  const counts = Object.fromEntries(LEAD_FIELDS.map((field) => [field, { predicted: 0, labelled: 0, correct: 0 }])) as Record<
    LeadField, { predicted: number; labelled: number; correct: number }
  >;
  let verdicts = 0;
  let sentiments = 0;
  let topicPredicted = 0;
  let topicLabelled = 0;
  let topicCorrect = 0;
  let bantRight = 0;
  let rouge = 0;
  const misses: string[] = [];
  for (const { conversation, analysis } of results) {
    for (const field of LEAD_FIELDS) {
      const value = analysis.lead[field]?.value;
      const labelled = conversation.lead[field] !== undefined;
      if (labelled) counts[field].labelled += 1;
      if (value !== undefined) counts[field].predicted += 1;
      const right = value !== undefined && labelled && sameValue(field, value, conversation);
      if (right) counts[field].correct += 1;
      else if (value !== undefined || labelled) misses.push(`${conversation.id} ${field}: got ${JSON.stringify(value ?? null)}, want ${JSON.stringify(conversation.lead[field] ?? null)}`);
    }
    const recommendation = qualify(analysis, null).recommendation;
    if (recommendation === conversation.verdict) verdicts += 1;
    else misses.push(`${conversation.id} verdict: got ${recommendation}, want ${conversation.verdict}`);
    if (analysis.sentiment === conversation.sentiment) sentiments += 1;
    else misses.push(`${conversation.id} sentiment: got ${analysis.sentiment}, want ${conversation.sentiment}`);
    topicPredicted += analysis.topics.length;
    topicLabelled += conversation.topics.length;
    topicCorrect += analysis.topics.filter((topic) => conversation.topics.includes(topic)).length;
    for (const part of ['budget', 'authority', 'need', 'timing'] as const) if ((analysis.bant[part] !== null) === conversation.bant[part]) bantRight += 1;
    rouge += rougeL(analysis.summary, conversation.summary);
  }
  const fields = Object.fromEntries(
    LEAD_FIELDS.map((field) => {
      const { predicted, labelled, correct } = counts[field];
      return [field, { predicted, labelled, correct, precision: ratio(correct, predicted), recall: ratio(correct, labelled) }];
    }),
  ) as Record<LeadField, FieldScore>;
  const f1 = (s: FieldScore) => (s.precision + s.recall === 0 ? 0 : (2 * s.precision * s.recall) / (s.precision + s.recall));
  const n = results.length;
  return {
    conversations: n,
    fields,
    verdictAccuracy: ratio(verdicts, n),
    sentimentAccuracy: ratio(sentiments, n),
    topics: { precision: ratio(topicCorrect, topicPredicted), recall: ratio(topicCorrect, topicLabelled) },
    bantAccuracy: ratio(bantRight, n * 4),
    rougeL: n === 0 ? 0 : rouge / n,
    leadF1: LEAD_FIELDS.reduce((sum, field) => sum + f1(fields[field]), 0) / LEAD_FIELDS.length,
    misses,
  };
}

/** A table of a score, for the bench's output and the README. */
export function formatScore(label: string, result: CorpusScore): string {
  const pad = (text: string, width: number) => text.padEnd(width);
  const lines = [`${label} (${result.conversations} conversations)`, `  ${pad('field', 16)}${pad('precision', 11)}${pad('recall', 9)}labelled`];
  for (const field of LEAD_FIELDS) {
    const s = result.fields[field];
    lines.push(`  ${pad(field, 16)}${pad(s.precision.toFixed(2), 11)}${pad(s.recall.toFixed(2), 9)}${s.labelled}`);
  }
  lines.push(
    `  verdict accuracy ${result.verdictAccuracy.toFixed(2)} · sentiment accuracy ${result.sentimentAccuracy.toFixed(2)} · `
      + `topics P ${result.topics.precision.toFixed(2)} R ${result.topics.recall.toFixed(2)} · BANT parts ${result.bantAccuracy.toFixed(2)} · `
      + `summary ROUGE-L ${result.rougeL.toFixed(2)} · lead-field F1 ${result.leadF1.toFixed(2)}`,
  );
  return lines.join('\n');
}
