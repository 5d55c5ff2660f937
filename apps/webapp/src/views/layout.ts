import { html, SafeHtml } from "./html.js";

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
export function renderLayout(title: string, body: SafeHtml): string {
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
