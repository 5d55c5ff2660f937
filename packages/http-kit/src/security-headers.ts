import type { RequestHandler } from "express";
import helmet from "helmet";

export interface SecurityHeadersOptions {
  /**
   * Let the page use its own inline `<style>` (`style-src 'unsafe-inline'`).
   * Off by default: a service that answers only JSON and text needs no styles.
   */
  inlineStyles?: boolean;
}

/**
 * The security headers on every response a Stockroom service sends, set by
 * helmet. Mount it first, so 404s, 405s, 413s and 500s carry them too.
 *
 * - Content-Security-Policy: nothing is loaded from anywhere, no `<base>`, no
 *   form posts, no framing (`frame-ancestors 'none'`, with X-Frame-Options:
 *   DENY for older browsers).
 * - Strict-Transport-Security is NOT sent. The services speak plain http
 *   (Compose, localhost); browsers ignore HSTS received over http anyway, and
 *   once a proxy terminates TLS in front of them, HSTS belongs to that proxy,
 *   which knows the real hostname. Sent from here it would pin `localhost` to
 *   https for a year the first time someone serves it over TLS.
 * - Everything else is helmet's default: nosniff, Referrer-Policy no-referrer,
 *   Cross-Origin-Opener/Resource-Policy same-origin, no X-Powered-By, ...
 */
export function securityHeaders({ inlineStyles = false }: SecurityHeadersOptions = {}): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        ...(inlineStyles ? { styleSrc: ["'unsafe-inline'"] } : {}),
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    xFrameOptions: { action: "deny" },
    strictTransportSecurity: false,
  });
}
