// fetch() for the pages: JSON in and out, cookies of this origin, and every failure turned into an
// ApiFailure carrying the envelope's code (what the pages choose their message by, never the text).
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    /** The envelope's code, or NETWORK when no answer came. */
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown> = {},
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export async function api<T>(path: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? (init.json !== undefined ? 'POST' : 'GET'),
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiFailure(0, 'NETWORK', e instanceof Error ? e.message : 'network error');
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page, say: treated as a failure below.
  }
  if (res.ok && body !== null) return body as T;
  const envelope = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const retry = Number(res.headers.get('retry-after') ?? envelope.retryAfter);
  throw new ApiFailure(
    res.status,
    typeof envelope.code === 'string' ? envelope.code : res.ok ? 'BAD_RESPONSE' : `HTTP_${res.status}`,
    typeof envelope.error === 'string' ? envelope.error : res.statusText,
    envelope,
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
}
