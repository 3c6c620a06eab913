import {
  aiContactRequestSchema, aiConversationRequestSchema, aiSettingsUpdateRequestSchema, followUpApproveRequestSchema, followUpDismissRequestSchema,
  followUpListRequestSchema, quoteDraftRequestSchema, quoteSendRequestSchema, replySuggestionRequestSchema, type Agent,
} from '@charla/protocol';
import type { Server, Socket } from 'socket.io';
import { assertRole } from '../services/actors.js';
import { handle, type HandlerContext, type SocketData } from '../socket/handle.js';
import { emptyRequestSchema } from '../validation.js';
import type { AiService } from './service.js';

/** The AI requests of /agent (the namespace's handshake has signed the agent in). */
export function registerAiHandlers(io: Server, ai: AiService, context: HandlerContext): void {
  io.of('/agent').on('connection', (socket: Socket) => {
    const agent = (socket.data as SocketData).agent as Agent;
    handle(context, socket, 'ai.insight', aiConversationRequestSchema, 'viewer', ({ conversationId }) => ai.conversationInsight(agent, conversationId));
    handle(context, socket, 'ai.contactInsights', aiContactRequestSchema, 'viewer', ({ contactId }) => ai.contactInsights(agent, contactId));
    handle(context, socket, 'ai.suggestReplies', replySuggestionRequestSchema, 'agent', ({ conversationId, count }) =>
      ai.suggestReplies(agent, conversationId, count));
    handle(context, socket, 'ai.quoteDraft', quoteDraftRequestSchema, 'agent', ({ conversationId }) => ai.draftQuote(agent, conversationId));
    handle(context, socket, 'quote.send', quoteSendRequestSchema, 'agent', (input) => ai.sendQuote(agent, input));
    handle(context, socket, 'ai.followUps', followUpListRequestSchema, 'viewer', ({ conversationId }) => ai.followUps(agent, conversationId));
    handle(context, socket, 'ai.followUp.approve', followUpApproveRequestSchema, 'agent', (input) => ai.approveFollowUp(agent, input));
    handle(context, socket, 'ai.followUp.dismiss', followUpDismissRequestSchema, 'agent', ({ id }) => ai.dismissFollowUp(agent, id));
    handle(context, socket, 'ai.settings.get', emptyRequestSchema, 'viewer', () => ai.settings(agent));
    // The payload is checked before the role, so an agent learns what is wrong with it too.
    handle(context, socket, 'ai.settings.update', aiSettingsUpdateRequestSchema, 'viewer', (input) => {
      assertRole(agent, 'admin');
      return ai.updateSettings(agent, input);
    });
  });
}
