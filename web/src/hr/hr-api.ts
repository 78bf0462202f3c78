// The console's API calls: the shared fetch wrapper, plus "signed out" handling. The login cookie
// is HttpOnly, so the page never holds a credential; a 401 means the session ended.
import { api, ApiFailure } from '../shared/api.js';

/** Leaves for the login page. Never settles: whatever waited on the call stops there, quietly. */
export function toLogin(signedOut: boolean): Promise<never> {
  const next = encodeURIComponent(location.pathname + location.search);
  location.assign(`/hr/login?next=${next}${signedOut ? '&expired=1' : ''}`);
  return new Promise<never>(() => {});
}

export async function hrApi<T>(path: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
  try {
    return await api<T>(path, init);
  } catch (err) {
    // The start-up check only finds nobody signed in; a 401 later means the session ran out.
    if (err instanceof ApiFailure && err.status === 401) return toLogin(path !== '/api/auth/me');
    throw err;
  }
}

/** Only our own console pages: `next` comes from the address bar. */
export const safeNext = (next: string | null) => (next && /^\/hr(\/|$|\?)/.test(next) && !next.startsWith('//') ? next : '/hr');
