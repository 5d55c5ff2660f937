import { html } from "./html.js";
import { renderLayout } from "./layout.js";

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
