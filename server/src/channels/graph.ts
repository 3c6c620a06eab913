/**
 * A small client of Meta's Graph API (WhatsApp Cloud API, Instagram messaging, Conversions API).
 * The host comes from `CHARLA_GRAPH_URL` (tests point it at a local fake).
 */
export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com';
export const GRAPH_VERSION = 'v21.0';

/** Graph error codes Charla branches on. */
export const GRAPH_ERRORS = {
  /** WhatsApp: more than 24 hours since the customer's last message; only templates go through. */
  windowClosed: 131047,
  /** Rate limits: retry with backoff. */
  rateLimits: [130429, 131056, 4, 80007],
  tokenExpired: 190,
  invalidParameter: 100,
  undeliverable: 131026,
} as const;

export class GraphError extends Error {
  override readonly name = 'GraphError';
  constructor(
    readonly status: number,
    readonly code: number | null,
    message: string,
    readonly details: string | null,
  ) {
    super(message);
  }

  /** Worth trying again later: rate limits, Meta's own failures, the network. */
  get transient(): boolean {
    return (
      this.status === 0 || this.status >= 500 || this.status === 429 ||
      (this.code !== null && (GRAPH_ERRORS.rateLimits as readonly number[]).includes(this.code))
    );
  }

  /** How the failure reads on a message: `131047: Re-engagement message (details)`. */
  describe(): string {
    const head = this.code === null ? this.message : `${this.code}: ${this.message}`;
    return this.details ? `${head} (${this.details})` : head;
  }
}

interface GraphErrorBody {
  error?: { message?: unknown; code?: unknown; error_data?: { details?: unknown } };
}

export class GraphClient {
  constructor(
    /** The host; the demo points it at its own built-in Graph stand-in once it knows its port. */
    public baseUrl: string = DEFAULT_GRAPH_URL,
    readonly version: string = GRAPH_VERSION,
  ) {}

  url(path: string): string {
    return `${this.baseUrl.replace(/\/+$/, '')}/${this.version}/${path.replace(/^\/+/, '')}`;
  }

  post<T>(path: string, token: string, body: unknown): Promise<T> {
    return this.#call<T>(this.url(path), token, { method: 'POST', body: JSON.stringify(body) });
  }

  get<T>(path: string, token: string): Promise<T> {
    return this.#call<T>(this.url(path), token, { method: 'GET' });
  }

  async #call<T>(url: string, token: string, init: RequestInit): Promise<T> {
    const response = await this.#fetch(url, token, init);
    if (!response.ok) throw await errorOf(response);
    return (await response.json()) as T;
  }

  async #fetch(url: string, token: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        signal: AbortSignal.timeout(20_000),
      });
    } catch (error) {
      throw new GraphError(0, null, `The Graph API could not be reached: ${(error as Error).message}`, null);
    }
  }
}

async function errorOf(response: Response): Promise<GraphError> {
  let body: GraphErrorBody = {};
  try {
    body = (await response.json()) as GraphErrorBody;
  } catch {
    // not JSON: the status says enough
  }
  const error = body.error ?? {};
  const code = typeof error.code === 'number' ? error.code : null;
  const message = typeof error.message === 'string' ? error.message : `HTTP ${response.status}`;
  const details = typeof error.error_data?.details === 'string' ? error.error_data.details : null;
  return new GraphError(response.status, code, message, details);
}
