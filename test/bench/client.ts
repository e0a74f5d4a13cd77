// The benchmark's GraphQL client: one POST with Node's fetch, timed from before the request is
// written to after the body is read, reduced to what the figures need.

/** `extensions.cost` as src/plugins/cost.ts reports it. */
export interface Cost {
  estimatedCalls: number;
  upstreamCalls: number;
  cacheHits: number;
  coalesced: number;
  retries: number;
  waitedForBudgetMs: number;
  budgetRemaining: number | null;
  durationMs: number;
}

export interface Answer {
  /** HTTP status; 0 when no response arrived (timeout, refused connection). */
  status: number;
  ms: number;
  /** `errors[].extensions.code`, one per error; CLIENT_TIMEOUT / CLIENT_FETCH_FAILED when no answer. */
  codes: string[];
  /**
   * Of the RATE_LIMITED errors, which side said no. The code is the same either way (a client
   * retries both alike); only the message tells the governor's refusal, which sent nothing,
   * from GHL's 429, which spent a call. Counted from the message because nothing else differs.
   */
  rateLimited: { governor: number; upstream429: number };
  cost: Cost | undefined;
  data: unknown;
}

/** No errors at all and HTTP 200: the answer a user would call a success. */
export const isClean = (answer: Answer): boolean => answer.status === 200 && answer.codes.length === 0;

interface GraphQLBody {
  data?: unknown;
  errors?: Array<{ message?: string; extensions?: { code?: unknown } }>;
  extensions?: { cost?: Cost };
}

export async function post(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token: string,
  timeoutMs: number,
): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as GraphQLBody;
    const ms = performance.now() - started;
    const codes: string[] = [];
    const rateLimited = { governor: 0, upstream429: 0 };
    for (const error of body.errors ?? []) {
      const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'NO_CODE';
      codes.push(code);
      if (code === 'RATE_LIMITED') {
        // src/schema/errors/ghl.ts: BudgetExceededError → "The 10-second (or daily) GHL rate budget…",
        // GhlRateLimitedError (an upstream 429) → "GHL's rate limit is spent…".
        if (/rate budget/i.test(error.message ?? '')) rateLimited.governor += 1;
        else rateLimited.upstream429 += 1;
      }
    }
    return { status: response.status, ms, codes, rateLimited, cost: body.extensions?.cost, data: body.data ?? null };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return {
      status: 0,
      ms: performance.now() - started,
      codes: [timedOut ? 'CLIENT_TIMEOUT' : 'CLIENT_FETCH_FAILED'],
      rateLimited: { governor: 0, upstream429: 0 },
      cost: undefined,
      data: null,
    };
  }
}
