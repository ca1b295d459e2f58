/**
 * The page's Content-Security-Policy, the same in the browser (a response header) and the desktop
 * window (a header on every response, and the page's own meta tag): nothing but its own files,
 * no inline code, no eval, no framing, no remote content.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // The graph's layout worker (layout-worker.js beside the page); no blob: or data: workers.
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
