// The one HTTP client of every page: same origin, with the session cookie, JSON in and out. An
// answer that is not 2xx becomes an `ApiError` built from its problem+json document (RFC 9457:
// `status`, a stable `code`, `title`, `detail` and, for validation, the fields at fault), so a
// form can show a message next to the field it names. `fetch` is injectable for the tests.

import type { Schemas } from './types';

export type Problem = Schemas['Problem'];
export type FieldError = Schemas['FieldError'];

/**
 * A non-2xx answer of the API. Its message: each field at fault and why ("category: unknown
 * category; location.lon: …"), else the problem's detail, else its title (or the status text).
 */
export class ApiError extends Error {
  /** Stable machine-readable code (`validation`, `not_found`, `transition_not_allowed`, …); '' when the answer was no problem document. */
  readonly code: string;
  readonly title: string;
  readonly detail: string | null;
  /** For `validation`: each field at fault (`category`, `location.lon`, …) and why. */
  readonly errors: readonly FieldError[];

  constructor(
    readonly status: number,
    /** The problem document as received (e.g. its `allowed_actions`). */
    readonly problem: Partial<Problem>,
  ) {
    super(problem.errors?.map((e) => `${e.field}: ${e.message}`).join('; ') || problem.detail || problem.title || `HTTP ${status}`);
    this.code = problem.code ?? '';
    this.title = problem.title ?? '';
    this.detail = problem.detail ?? null;
    this.errors = problem.errors ?? [];
  }

  /** The names of the fields at fault. */
  get fields(): string[] {
    return this.errors.map((e) => e.field);
  }

  /** The message for `field` (exact, or a sub-field such as `location.lon`), if the problem names it. */
  field(name: string): string | undefined {
    return this.errors.find((e) => e.field === name || e.field.startsWith(`${name}.`))?.message;
  }

  /** The error of a non-2xx response: its problem document, or its status text when it has none. */
  static async of(r: Response): Promise<ApiError> {
    let problem: Partial<Problem> = { title: r.statusText };
    try {
      const body: unknown = await r.json();
      if (body && typeof body === 'object') problem = body as Partial<Problem>;
    } catch {
      /* not JSON */
    }
    return new ApiError(r.status, problem);
  }
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;
let fetcher: Fetch = (input, init) => fetch(input, init);

/** For tests: answers requests with `f` instead of the network. */
export function setFetch(f: Fetch): void {
  fetcher = f;
}

/** Sends a request; the parsed JSON answer (null for 204), or an `ApiError`. */
export async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const r = await fetcher(path, { credentials: 'same-origin', ...init });
  if (!r.ok) throw await ApiError.of(r);
  return (r.status === 204 ? null : await r.json()) as T;
}

/** GET `path`. */
export const get = <T>(path: string): Promise<T> => request<T>(path);

/** `method` with a JSON body (and extra headers such as `idempotency-key` or `if-match`). */
export function send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  if (body === undefined) return request<T>(path, { method, headers });
  return request<T>(path, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** POSTs a multipart form (photos). */
export const upload = <T>(path: string, form: FormData, headers: Record<string, string> = {}): Promise<T> =>
  request<T>(path, { method: 'POST', body: form, headers });
