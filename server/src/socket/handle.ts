import type { Agent, AgentRole, AckCallback } from '@charla/protocol';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { CharlaFailure, toErrorPayload } from '../failure.js';
import type { InFlight } from '../in-flight.js';
import type { Logger } from '../logger.js';
import { assertRole } from '../services/actors.js';
import { parseInput } from '../validation.js';

/** The data a request's acknowledgement carries, read from a socket event map entry. */
export type AckData<F> = F extends (payload: never, ack: AckCallback<infer T>) => void ? T : never;

export interface HandlerContext {
  logger: Logger;
  work: InFlight;
}

/** What the handshake attached to the socket. */
export interface SocketData {
  agent?: Agent;
}

/**
 * Registers one request handler: validates the payload with its schema, checks the agent's
 * role, runs `fn`, and acknowledges `{ok:true,data}` or `{ok:false,error}`. Nothing a client
 * sends can crash the process: a missing or non-function ack is tolerated, failures become
 * acks, and unexpected errors are logged once here.
 */
export function handle<S extends z.ZodType>(
  context: HandlerContext,
  socket: Socket,
  name: string,
  schema: S,
  requiredRole: AgentRole | null,
  fn: (input: z.output<S>) => Promise<unknown>,
): void {
  const run = async (payload: unknown) => {
    if (requiredRole) {
      const agent = (socket.data as SocketData).agent;
      if (!agent) throw new CharlaFailure('unauthorized', 'No agent is signed in on this connection');
      assertRole(agent, requiredRole);
    }
    return fn(parseInput(schema, payload));
  };

  socket.on(name, (...args: unknown[]) => {
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as (reply: unknown) => void) : undefined;
    const payload = ack && args.length === 1 ? undefined : args[0];
    const reply = run(payload).then(
      (data) => ({ ok: true as const, data }),
      (error: unknown) => {
        if (!(error instanceof CharlaFailure) || error.code === 'internal') {
          context.logger.error(`${socket.nsp.name} "${name}" failed`, error);
        }
        return { ok: false as const, error: toErrorPayload(error) };
      },
    );
    context.work.track(
      reply.then((answer) => {
        try {
          ack?.(answer);
        } catch (error) {
          context.logger.error(`${socket.nsp.name} "${name}": acknowledging failed`, error);
        }
      }),
    );
  });
}
