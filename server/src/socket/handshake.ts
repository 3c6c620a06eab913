import type { Socket } from 'socket.io';
import { CharlaFailure, toErrorPayload } from '../failure.js';
import type { HandlerContext } from './handle.js';

type Next = (error?: Error) => void;

/**
 * A namespace middleware from an async authentication step. A refusal reaches the client as a
 * `connect_error` whose `data` is `{ code, message }` (e.g. `unauthorized`).
 */
export function handshake(context: HandlerContext, authenticate: (socket: Socket) => Promise<void>) {
  return (socket: Socket, next: Next): void => {
    context.work.track(
      authenticate(socket).then(
        () => next(),
        (error: unknown) => {
          if (!(error instanceof CharlaFailure)) context.logger.error(`${socket.nsp.name} handshake failed`, error);
          const payload = toErrorPayload(error);
          next(Object.assign(new Error(payload.message), { data: payload }));
        },
      ),
    );
  };
}
