/** Calls of the REST API (`/api/v1`) with the client's token, answers as JSON or as a CharlaRequestError. */
import type { ErrorCode } from '@charla/protocol/constants';
import type { CharlaClient } from './agent-client.js';
import { CharlaRequestError } from './errors.js';

export type Api = Pick<CharlaClient, 'fetchApi'>;

/** The answer's JSON, or its error as a CharlaRequestError (`offline` when the server was not reached). A body makes it a POST (or `method`). */
export async function call<T>(client: Api, path: string, body?: unknown, method = 'POST'): Promise<Response & { json(): Promise<T> }> {
  let response: Response;
  try {
    response = await client.fetchApi(path, body === undefined ? {} : {
      method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
  } catch (error) {
    throw new CharlaRequestError('offline', error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) {
    const answer = (await response.json().catch(() => null)) as { error?: { code: ErrorCode; message: string } } | null;
    throw new CharlaRequestError(answer?.error?.code ?? 'internal', answer?.error?.message ?? `The server answered ${response.status}`);
  }
  return response;
}
