import { describe, expect, it } from "vitest";
import { html } from "./html.js";

describe("html", () => {
  it("escapes every interpolated value", () => {
    const out = html`<p title="${`"x" & 'y'`}">${"<script>alert(1)</script>"}</p>`.toString();

    expect(out).toBe('<p title="&quot;x&quot; &amp; &#39;y&#39;">&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it("inserts nested html templates as they are, escaping their own values", () => {
    const items = ["<a>", "b"].map((item) => html`<li>${item}</li>`);

    expect(html`<ul>${items}</ul>`.toString()).toBe("<ul><li>&lt;a&gt;</li><li>b</li></ul>");
  });

  it("writes dates as ISO timestamps and leaves out null and undefined", () => {
    expect(html`${new Date(Date.UTC(2030, 0, 2, 3, 4, 5))}|${null}|${undefined}|${42}`.toString()).toBe(
      "2030-01-02T03:04:05.000Z|||42",
    );
  });
});
