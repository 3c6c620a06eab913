import type { Conversation, ConversationListRequest, ConversationPage } from '@charla/protocol';
import type { CharlaRequestError } from './errors.js';

export type ConversationFilter = Omit<ConversationListRequest, 'cursor' | 'limit'>;
export type StatusCounts = ConversationPage['counts'];

const activity = (c: Conversation) => c.lastMessageAt ?? c.createdAt;

/** Newest activity first, as the server orders pages. */
export function compareConversations(a: Conversation, b: Conversation): number {
  const byActivity = activity(b).localeCompare(activity(a));
  return byActivity !== 0 ? byActivity : b.id.localeCompare(a.id);
}

/**
 * One filtered, paged list of conversations kept live: the server filters and pages; events
 * insert, move and remove conversations so the list stays right without refetching.
 */
export class ConversationQuery {
  ids: string[] = [];
  counts: StatusCounts | null = null;
  nextCursor: string | null = null;
  loaded = false;
  loading = false;
  error: CharlaRequestError | null = null;

  constructor(
    readonly filter: ConversationFilter,
    private readonly currentAgentId: () => string | undefined,
  ) {}

  get hasMore(): boolean {
    return this.nextCursor !== null;
  }

  /** Whether a conversation belongs in this list by the filters the client can evaluate. */
  matches(conversation: Conversation): boolean {
    const { status = 'open', assignee, channel, priority, label, team } = this.filter;
    if (team && conversation.teamId !== team) return false;
    if (status !== 'all' && conversation.status !== status) return false;
    if (channel && conversation.channel !== channel) return false;
    if (priority && conversation.priority !== priority) return false;
    if (label && !conversation.labels.includes(label)) return false;
    if (assignee === 'unassigned' && conversation.assigneeId !== null) return false;
    if (assignee === 'me' && conversation.assigneeId !== this.currentAgentId()) return false;
    if (assignee && assignee !== 'me' && assignee !== 'unassigned' && conversation.assigneeId !== assignee) return false;
    return true;
  }

  /**
   * Places a changed conversation. A search list never gains members live (only the server can
   * match text); a conversation older than the last loaded one waits for its page.
   */
  place(conversation: Conversation, lookup: (id: string) => Conversation | undefined): boolean {
    const present = this.ids.includes(conversation.id);
    const belongs = this.matches(conversation);
    if (!belongs) {
      if (!present) return false;
      this.ids = this.ids.filter((id) => id !== conversation.id);
      return true;
    }
    if (!present) {
      // Only the server matches text and service-level deadlines.
      if (this.filter.query || this.filter.sla) return false;
      const last = this.ids.length > 0 ? lookup(this.ids[this.ids.length - 1]!) : undefined;
      if (this.hasMore && last && compareConversations(conversation, last) > 0) return false;
    }
    const others = this.ids.filter((id) => id !== conversation.id);
    const at = others.findIndex((id) => {
      const other = lookup(id);
      return other !== undefined && compareConversations(conversation, other) < 0;
    });
    others.splice(at === -1 ? others.length : at, 0, conversation.id);
    this.ids = others;
    return true;
  }

  remove(id: string): void {
    this.ids = this.ids.filter((existing) => existing !== id);
  }
}
