import type { Greeting } from "../clients/api-client.js";
import type { Visit } from "../db/visit-store.js";
import { html, SafeHtml } from "./html.js";

// The webapp's two pages and the document around them. Every value goes
// through the `html` tag, which escapes it.

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  h1 { margin-bottom: .25rem; }
  code { background: #f3f3f3; padding: 0 .25rem; border-radius: 3px; }
  .ok { color: #17663a; }
  .problem { color: #a12020; }
  .muted { color: #666; font-size: .9rem; }
  ul { padding-left: 1.5rem; }
`;

// A constant of this module, so it is inserted as it is.
const STYLE_HTML = new SafeHtml(STYLE);

/** The whole document around a page's body; the style is inline, nothing else is loaded. */
function renderLayout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE_HTML}</style>
</head>
<body>
${body}
</body>
</html>
`.toString();
}

export interface HomePageModel {
  greeting: Greeting;
  /** Where the webapp looks for the api, shown when it cannot be reached. */
  apiUrl: string;
  /** This webapp container's hostname. */
  hostname: string;
  total: number;
  /** Newest first. */
  recentVisits: readonly Visit[];
}

function renderGreeting(greeting: Greeting, apiUrl: string) {
  if (!greeting.ok) {
    return html`<p class="problem">Could not reach the API at <code>${apiUrl}</code>: ${greeting.error}</p>
<p class="muted">The rest of this page works without it. Once the api service is up, reload.</p>`;
  }
  const servedBy = greeting.servedBy
    ? html`<p>Answered by api container <code>${greeting.servedBy}</code></p>`
    : html``;
  return html`<p class="ok">The API says: ${greeting.message}</p>
${servedBy}`;
}

function renderVisits(visits: readonly Visit[]) {
  if (visits.length === 0) return html`<p class="muted">No visits yet.</p>`;
  return html`<ul>
${visits.map((visit) => html`<li>#${visit.id} at <time>${visit.visitedAt}</time></li>\n`)}</ul>`;
}

/** The page at `/`: the api's message, which containers answered, and the visit counter. */
export function renderHomePage({ greeting, apiUrl, hostname, total, recentVisits }: HomePageModel): string {
  return renderLayout(
    "Stockroom",
    html`<h1>Stockroom</h1>
${renderGreeting(greeting, apiUrl)}
<p>Served by webapp container <code>${hostname}</code></p>
<p>Total visits: <strong>${total}</strong></p>
<h2>Recent visits</h2>
${renderVisits(recentVisits)}`,
  );
}

/** The 503 page when Postgres cannot be reached. */
export function renderDatabaseUnavailablePage({ hostname }: { hostname: string }): string {
  return renderLayout(
    "Stockroom: database unavailable",
    html`<h1>Stockroom</h1>
<p class="problem"><strong>The database is not reachable right now.</strong></p>
<p>The webapp keeps trying to reach Postgres and recovers by itself once it is back: reload in a few seconds.
If this lasts, check that the database service is running and healthy (<code>docker compose ps</code>, <code>docker compose logs db</code>).</p>
<p class="muted">Served by webapp container <code>${hostname}</code></p>`,
  );
}
