// The Content-Security-Policy every page of ours starts from: the web pages (routes/pages.ts) and the
// API docs page (routes/docs.ts) add only what each one needs.

/** A Content-Security-Policy of scripts, styles and images from this origin only, plus `directives`. */
export function ownOriginPolicy(directives: string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    ...directives,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
