/** Loads the webapp's page and returns its status and text. */
export async function loadPage(webappUrl: string, path = "/"): Promise<{ status: number; html: string }> {
  const res = await fetch(new URL(path, webappUrl), { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, html: await res.text() };
}

/** The "Total visits: N" figure the page shows. */
export function totalVisitsOn(html: string): number {
  const match = /Total visits:\s*(?:<[^>]+>\s*)*(\d+)/.exec(html);
  if (!match?.[1]) throw new Error(`the page shows no "Total visits" figure:\n${html.slice(0, 2000)}`);
  return Number(match[1]);
}

/** The api container that answered this page load, as the page names it ("Answered by api container ..."). */
export function answeringReplica(html: string): string {
  const match = /Answered by api container <code>([^<]+)<\/code>/.exec(html);
  if (!match?.[1]) throw new Error(`the page names no api container:\n${html.slice(0, 2000)}`);
  return match[1];
}

/** A page's text with the tags taken out, for messages that span markup (`at <code>url</code>: error`). */
export const textOf = (html: string) => html.replace(/<[^>]+>/g, "");
