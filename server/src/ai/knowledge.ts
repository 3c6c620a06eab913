/**
 * The knowledge base the AI answers from: FAQ entries and documents the workspace uploads
 * (`POST /api/v1/knowledge`), cut into chunks that full-text search finds (SQLite FTS5,
 * PostgreSQL text search). Admins add and delete entries; every agent's suggestions use them.
 */
import {
  KNOWLEDGE_LIMITS, type Agent, type KnowledgeEntry, type KnowledgeHit, type knowledgeCreateSchema,
} from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { newId, nowIso } from '../ids.js';
import { assertRole } from '../services/actors.js';
import type { Store } from '../store/index.js';
import type { KnowledgeChunkRow } from '../store/knowledge.js';
import { fold, STOPWORDS } from './heuristic.js';

type Create = z.output<typeof knowledgeCreateSchema>;

const ALL_STOPWORDS = new Set([...STOPWORDS.es, ...STOPWORDS.pt, ...STOPWORDS.en, ...'los las del una unos unas con sin sobre ustedes vocês voces tienen tiene hay are what when where which does you your'.split(' ')]);

/**
 * The words a search looks for: folded, letters and digits only, stopwords and short words left
 * out, a plural's "s" dropped (each is matched as a prefix, so "precio" finds "precios").
 */
export function searchTerms(text: string, max = 12): string[] {
  const terms = fold(text)
    .split(/[^a-z0-9]+/)
    .filter((word) => (/^\d+$/.test(word) ? word.length >= 2 : word.length >= 3) && !ALL_STOPWORDS.has(word))
    .map((word) => (word.length > 4 && word.endsWith('s') ? word.slice(0, -1) : word));
  return [...new Set(terms)].slice(0, max);
}

/** A document's text in chunks of at most `size` characters, cut between paragraphs, else sentences, else words. */
export function chunkText(text: string, size: number = KNOWLEDGE_LIMITS.chunk): string[] {
  const pieces = text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .flatMap((paragraph) => (paragraph.length <= size ? [paragraph] : paragraph.split(/(?<=[.!?])\s+/)))
    .flatMap((sentence) => (sentence.length <= size ? [sentence] : sentence.match(new RegExp(`.{1,${size}}(?:\\s|$)`, 'g')) ?? [sentence]))
    .map((piece) => piece.trim())
    .filter(Boolean);
  const chunks: string[] = [];
  for (const piece of pieces) {
    const last = chunks.at(-1);
    if (last !== undefined && last.length + 1 + piece.length <= size) chunks[chunks.length - 1] = `${last} ${piece}`;
    else chunks.push(piece);
  }
  return chunks;
}

function chunksOf(entry: Pick<KnowledgeEntry, 'kind' | 'title' | 'body'>): KnowledgeChunkRow[] {
  // An FAQ answer is one chunk (its question is searched with it); a document is cut up.
  const texts = entry.kind === 'faq' ? [entry.body.trim()] : chunkText(entry.body);
  return texts.map((text, position) => ({ id: newId('kc'), position, text, searchText: fold(`${entry.title}\n${text}`) }));
}

export function listKnowledge(store: Store, agent: Agent): Promise<KnowledgeEntry[]> {
  return store.knowledge.list(agent.workspaceId);
}

export async function createKnowledge(store: Store, agent: Agent, input: Create): Promise<KnowledgeEntry> {
  assertRole(agent, 'admin');
  return store.transaction(async (scope) => {
    if ((await scope.knowledge.count(agent.workspaceId)) >= KNOWLEDGE_LIMITS.entries) {
      throw new CharlaFailure('conflict', `A workspace holds at most ${KNOWLEDGE_LIMITS.entries} knowledge entries; delete some first`);
    }
    const title = input.title.trim();
    const body = input.body.trim();
    const chunks = chunksOf({ kind: input.kind, title, body });
    const entry: KnowledgeEntry = {
      id: newId('kb'), workspaceId: agent.workspaceId, kind: input.kind, title, body, chunks: chunks.length, createdBy: agent.id, createdAt: nowIso(),
    };
    await scope.knowledge.insert(entry, chunks);
    await scope.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'knowledge.create', targetKind: 'knowledge', targetId: entry.id,
      data: { kind: entry.kind, title, chunks: chunks.length },
    });
    return entry;
  });
}

export async function deleteKnowledge(store: Store, agent: Agent, id: string): Promise<void> {
  assertRole(agent, 'admin');
  await store.transaction(async (scope) => {
    const entry = await scope.knowledge.get(agent.workspaceId, id);
    if (!entry) throw new CharlaFailure('not_found', 'No such knowledge entry');
    await scope.knowledge.delete(agent.workspaceId, id);
    await scope.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'knowledge.delete', targetKind: 'knowledge', targetId: id,
      data: { kind: entry.kind, title: entry.title },
    });
  });
}

/** The chunks best matching `text` in the workspace's knowledge base. */
export function searchKnowledge(store: Store, workspaceId: string, text: string, limit: number): Promise<KnowledgeHit[]> {
  return store.knowledge.search(workspaceId, searchTerms(text), limit);
}
