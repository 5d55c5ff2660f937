import type { Greeting } from "../clients/api-client.js";
import type { Visit } from "../db/visit-store.js";
import { html } from "./html.js";
import { renderLayout } from "./layout.js";

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
