import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Security headers on every answer (pages, API, webhooks, the widget): no MIME sniffing, no
 * referrer, no framing by other sites, and a Content-Security-Policy the demo
 * pages and the widget work under. Scripts come only from this origin (the built pages have no
 * inline script); styles may be inline because Lit writes `style` attributes and the simulator
 * page inlines its CSS; images also come from https (avatars, Meta's CDN), `data:` and `blob:`
 * (downloaded media). No `upgrade-insecure-requests`: the demo runs on http://localhost.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        mediaSrc: ["'self'", 'blob:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
  });
}
