import type { Agent, CannedResponse } from '@charla/protocol';

/** A quick action as the `/` menu lists it. */
export interface ActionItem {
  id: string;
  label: string;
  icon?: string | undefined;
}

/** What the composer offers while typing: quick actions and canned responses after `/`, agents after `@` in notes. */
export type Suggestion =
  | { kind: 'action'; id: string; label: string; detail: string; action: ActionItem }
  | { kind: 'canned'; id: string; label: string; detail: string; response: CannedResponse }
  | { kind: 'mention'; id: string; label: string; detail: string; agent: Pick<Agent, 'id' | 'name' | 'email'> };

const CANNED = /^\/([\w-]*)$/;
const MENTION = /(^|\s)@([\p{L}\p{N}._-]*)$/u;

/**
 * The suggestions for the text before the caret: `/pa` lists canned responses whose shortcut or
 * title contains "pa"; in a note, `@an` lists agents whose name contains "an".
 */
export function suggestionsFor(
  beforeCaret: string,
  options: {
    canned: readonly CannedResponse[];
    agents: ReadonlyArray<Pick<Agent, 'id' | 'name' | 'email'>>;
    note: boolean;
    /** Quick actions (listed first; not in notes: what they send goes to the customer). */
    actions?: readonly ActionItem[];
    /** Words for an action's row (its detail). */
    actionDetail?: string;
  },
): Suggestion[] {
  const canned = CANNED.exec(beforeCaret);
  if (canned) {
    const query = canned[1]!.toLowerCase();
    const actions: Suggestion[] = (options.note ? [] : options.actions ?? [])
      .filter((action) => action.label.toLowerCase().includes(query) || action.id.toLowerCase().includes(query))
      .map((action) => ({ kind: 'action', id: `action:${action.id}`, label: `${action.icon ? `${action.icon} ` : ''}${action.label}`, detail: options.actionDetail ?? '', action }));
    const responses: Suggestion[] = options.canned
      .filter((response) => response.shortcut.includes(query) || response.title.toLowerCase().includes(query))
      .sort((a, b) => Number(!a.shortcut.startsWith(query)) - Number(!b.shortcut.startsWith(query)))
      .map((response) => ({ kind: 'canned', id: response.id, label: `/${response.shortcut}`, detail: response.title, response }));
    return [...actions, ...responses].slice(0, 8);
  }
  const mention = options.note ? MENTION.exec(beforeCaret) : null;
  if (mention) {
    const query = mention[2]!.toLowerCase();
    return options.agents
      .filter((agent) => agent.name.toLowerCase().includes(query))
      .slice(0, 8)
      .map((agent) => ({ kind: 'mention', id: agent.id, label: agent.name, detail: agent.email, agent }));
  }
  return [];
}

/** The text with the suggestion applied at the caret, and where the caret goes. */
export function applySuggestion(text: string, caret: number, suggestion: Suggestion): { text: string; caret: number } {
  const before = text.slice(0, caret);
  const after = text.slice(caret);
  if (suggestion.kind === 'canned') return { text: suggestion.response.body + after, caret: suggestion.response.body.length };
  // An action runs: its `/word` goes, what else was written stays.
  if (suggestion.kind === 'action') return { text: after, caret: 0 };
  const replaced = before.replace(MENTION, (_match, space: string) => `${space}@${suggestion.agent.name} `);
  return { text: replaced + after, caret: replaced.length };
}
