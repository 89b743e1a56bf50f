/**
 * @module
 * The try-it page at `/` and its two assets.
 */
import type { FastifyInstance } from 'fastify';
import { PAGE_CSS, PAGE_HTML, PAGE_JS } from '../page/page-assets.js';

// The page only talks to this server, so everything else is refused by the browser.
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Registers `GET /`, `/page.js` and `/page.css` (hidden from the OpenAPI document). */
export function registerPageRoutes(app: FastifyInstance): void {
  const assets: [string, string, string][] = [
    ['/', 'text/html; charset=utf-8', PAGE_HTML],
    ['/page.js', 'text/javascript; charset=utf-8', PAGE_JS],
    ['/page.css', 'text/css; charset=utf-8', PAGE_CSS],
  ];
  for (const [url, type, body] of assets) {
    app.get(url, { schema: { hide: true } }, async (_req, reply) => {
      reply.header('content-type', type).header('content-security-policy', CSP).header('x-content-type-options', 'nosniff').header('cache-control', 'no-cache');
      return body;
    });
  }
  // browsers ask for it on every visit; an empty answer keeps 404s out of their consoles
  app.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) => reply.code(204).send());
}
