// The labelled corpus the AI is measured on (npm run bench -- ai-quality): its coverage, labels
// that hold up (a phone is a valid E.164 number written in the conversation, an email is written
// there), and a scorer that gives a perfect reading full marks and a wrong one none.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LEAD_FIELDS, RECOMMENDATIONS, SENTIMENTS, TOPICS, type Analysis } from '@charla/protocol';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { HARD_CASES, SECTORS, loadCorpus, rougeL, score } from '../support/ai-corpus.js';
import { literalAnalysis, startFakeOpenAi } from '../support/fake-openai.js';

const execFileAsync = promisify(execFile);

const corpus = loadCorpus();
const digits = (text: string) => text.replace(/\D/g, '');

test('the corpus holds at least 150 conversations over six locales, four sectors and every hard case', () => {
  assert.ok(corpus.length >= 150, `${corpus.length} conversations`);
  assert.equal(new Set(corpus.map((c) => c.id)).size, corpus.length, 'ids are unique');
  // The six the corpus is built on (other variants, such as es-PE or en-GB, come on top).
  const locales = ['en', 'es-AR', 'es-CO', 'es-ES', 'es-MX', 'pt-BR'];
  const english = (locale: string) => (locale.startsWith('en') ? 'en' : locale);
  for (const locale of locales) {
    for (const sector of SECTORS) {
      assert.ok(corpus.some((c) => english(c.locale) === locale && c.sector === sector), `${locale} has a ${sector} conversation`);
    }
  }
  for (const hard of HARD_CASES) {
    assert.ok(corpus.filter((c) => c.hard.includes(hard)).length >= 5, `at least five "${hard}" conversations`);
  }
  const heldOut = corpus.filter((c) => c.heldOut).length;
  assert.ok(heldOut >= 25 && heldOut < corpus.length / 4, `${heldOut} held out`);
  assert.ok(corpus.filter((c) => c.blind).length >= 30, 'a blind part written after the heuristics were frozen');
});

test('every label is well formed and what it names is written in the conversation', () => {
  for (const c of corpus) {
    const text = c.lines.filter((line) => !line.startsWith('>')).join('\n');
    assert.ok(RECOMMENDATIONS.includes(c.verdict), `${c.id}: verdict ${c.verdict}`);
    assert.ok(SENTIMENTS.includes(c.sentiment), `${c.id}: sentiment ${c.sentiment}`);
    for (const topic of c.topics) assert.ok(TOPICS.includes(topic), `${c.id}: topic ${topic}`);
    for (const hard of c.hard) assert.ok((HARD_CASES as readonly string[]).includes(hard), `${c.id}: hard case ${hard}`);
    assert.ok(c.summary.length > 10 && c.summary.length <= 400, `${c.id}: a reference summary`);
    for (const key of Object.keys(c.lead)) assert.ok((LEAD_FIELDS as readonly string[]).includes(key), `${c.id}: lead field ${key}`);
    if (c.lead.phone) {
      const phone = parsePhoneNumberFromString(c.lead.phone);
      assert.ok(phone?.isValid() && phone.number === c.lead.phone, `${c.id}: ${c.lead.phone} is a valid E.164 number`);
      assert.ok(digits(text).includes(phone!.nationalNumber.slice(-7)), `${c.id}: the phone is written in the conversation`);
    }
    if (c.lead.email) assert.ok(text.toLowerCase().includes(c.lead.email), `${c.id}: the email is written in the conversation`);
    if (c.lead.budget) assert.match(c.lead.budget.currency, /^[A-Z]{3}$/, `${c.id}: budget currency`);
    if (c.lead.urgency) assert.ok(['low', 'medium', 'high'].includes(c.lead.urgency), `${c.id}: urgency`);
  }
});

/** The analysis a perfect reader would give (the labels themselves). */
function oracle(c: (typeof corpus)[number]): Analysis {
  const value = (text: string) => ({ value: text, messageId: `${c.id}_0`, confidence: 1 });
  const lead = Object.fromEntries(LEAD_FIELDS.map((field) => {
    const label = c.lead[field];
    if (label === undefined) return [field, null];
    return [field, value(typeof label === 'string' ? label : `${label.amount} ${label.currency}`)];
  })) as Analysis['lead'];
  return {
    lead, summary: c.summary, sentiment: c.sentiment, sentimentTrend: 'steady', topics: c.topics, nextAction: '', intent: 'medium', objections: [],
    bant: { budget: null, authority: null, need: null, timing: null },
  };
}

test('the scorer gives the labels themselves full marks, and an empty reading no precision errors and no recall', () => {
  const perfect = score(corpus.map((conversation) => ({ conversation, analysis: oracle(conversation) })));
  for (const field of LEAD_FIELDS) {
    assert.equal(perfect.fields[field].precision, 1, `${field} precision`);
    assert.equal(perfect.fields[field].recall, 1, `${field} recall`);
  }
  assert.equal(perfect.sentimentAccuracy, 1, 'sentiment');
  assert.equal(perfect.rougeL, 1, 'ROUGE-L of the reference itself');
  const empty = score(corpus.map((conversation) => {
    const analysis = oracle(conversation);
    return { conversation, analysis: { ...analysis, lead: Object.fromEntries(LEAD_FIELDS.map((f) => [f, null])) as Analysis['lead'], summary: '' } };
  }));
  assert.equal(empty.fields.email.recall, 0, 'nothing found, nothing recalled');
  assert.equal(empty.fields.email.precision, 1, 'nothing claimed, nothing wrong');
  assert.equal(empty.rougeL, 0, 'an empty summary overlaps nothing');
});

test('ROUGE-L rewards the reference words in order, whatever the accents and case', () => {
  assert.equal(rougeL('Pide 12 prensas francesas', 'pide 12 PRENSAS francésas'), 1);
  assert.equal(rougeL('nada que ver', 'pide prensas'), 0);
  const partial = rougeL('Pide prensas para su cafetería', 'Pide 12 prensas francesas para su cafetería');
  assert.ok(partial > 0.7 && partial < 1, `partial overlap ${partial}`);
});

describe('npm run bench -- ai-quality: the OpenAI path end to end (prompt → endpoint → JSON → scores)', () => {
  const bench = fileURLToPath(new URL('../bench/ai-quality.ts', import.meta.url));
  const run = async (env: Record<string, string>) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'CHARLA_AI_MODEL', 'CHARLA_BENCH_OPENAI'].includes(key)));
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', bench], { env: { ...clean, ...env }, maxBuffer: 10_000_000 });
    return stdout;
  };
  /** The table of one provider and part, as the bench prints it. */
  const table = (stdout: string, heading: string) => {
    const start = stdout.indexOf(heading);
    assert.ok(start >= 0, `the bench printed "${heading}":\n${stdout}`);
    return stdout.slice(start, stdout.indexOf('\n\n', start) + 1 || undefined);
  };
  const fieldRow = (text: string, field: string) => text.match(new RegExp(`^  ${field} +(\\S+) +(\\S+) +(\\d+)$`, 'm'))?.slice(1);

  test('with a key, the OpenAI-compatible endpoint gets every conversation and its answers are scored like the offline ones', async () => {
    const fake = await startFakeOpenAi();
    fake.fallback = { kind: 'answer', content: literalAnalysis };
    try {
      const stdout = await run({ OPENAI_API_KEY: 'sk-bench-key', OPENAI_BASE_URL: fake.baseURL, CHARLA_AI_MODEL: 'bench-model' });
      assert.equal(fake.requests.length, corpus.length, 'one chat completion per conversation');
      assert.ok(fake.requests.every((chat) => chat.authorization === 'Bearer sk-bench-key' && chat.model === 'bench-model'), 'the key and model given');
      assert.ok(fake.requests.every((chat) => chat.response_format?.json_schema?.name === 'conversation_analysis'), 'structured output asked for');
      const first = corpus[0]!;
      assert.ok(fake.requests.some((chat) => chat.messages.at(-1)!.content.includes(`[${first.id}_0] Customer: ${first.lines[0]}`)), 'the transcript is in the prompt');
      const emails = corpus.filter((c) => c.lead.email).length;
      for (const part of ['tuning part', 'held out', 'blind', 'all']) {
        const heading = `openai (bench-model), ${part}`;
        assert.ok(table(stdout, heading).includes('verdict accuracy'), `${heading}: the whole table`);
      }
      // The fake copies the emails the customers wrote, and nothing else: scored as such.
      assert.deepEqual(fieldRow(table(stdout, 'openai (bench-model), all'), 'email'), ['1.00', '1.00', String(emails)]);
      assert.deepEqual(fieldRow(table(stdout, 'openai (bench-model), all'), 'name')?.slice(0, 2), ['1.00', '0.00']);
      assert.doesNotMatch(stdout, /conversations failed/, 'every answer was usable');
      assert.match(stdout.trim().split('\n').at(-1)!, /^ai-quality: .* lead-field F1 on the blind part \(offline;/, 'the headline is still the offline one');
    } finally {
      await fake.close();
    }
  });

  test('CHARLA_BENCH_OPENAI=fake starts its own loopback endpoint, labelled as a path check', async () => {
    const stdout = await run({ CHARLA_BENCH_OPENAI: 'fake' });
    const all = table(stdout, 'not a quality figure), all');
    assert.deepEqual(fieldRow(all, 'email')?.slice(0, 2), ['1.00', '1.00']);
    assert.match(stdout, new RegExp(`loopback endpoint: ${corpus.length} chat completions for ${corpus.length} conversations, ${corpus.length} with the analysis schema and the transcript`));
  });

  test('a provider that answers nothing usable is counted, not scored', async () => {
    const fake = await startFakeOpenAi();
    fake.fallback = { kind: 'malformed' };
    try {
      const stdout = await run({ OPENAI_API_KEY: 'sk-bench-key', OPENAI_BASE_URL: fake.baseURL });
      assert.match(stdout, new RegExp(`openai \\(gpt-4o-mini\\), all \\(0 conversations\\)`));
      assert.match(stdout, new RegExp(`${corpus.length} conversations failed \\(not scored\\)`));
    } finally {
      await fake.close();
    }
  });
});
