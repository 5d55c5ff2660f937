import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/repo.js";
import type { Stack } from "../support/stack.js";
import { compose, removeStack, startStack } from "../support/stack.js";
import { launchChromium } from "./launch-chromium.js";

/** A test artifact: test-results/ is gitignored and CI uploads it. */
const SCREENSHOT = join(repoRoot, "test-results", "screenshots", "webapp-page.png");
const VIEWPORT = { width: 1280, height: 720 };
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Waits for a locator to be visible (the assertion) and returns the text a person reads there. */
async function visibleText(locator: Locator): Promise<string> {
  await locator.waitFor({ state: "visible" });
  // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator; innerText is the rendered text a person reads
  return (await locator.innerText()).trim();
}

/** What the page shows a person: the total visits figure and the recent visits, newest first. */
async function readVisits(page: Page): Promise<{ total: number; visits: string[] }> {
  const totalText = await visibleText(page.getByText(/^Total visits: \d+$/));
  const list = page.getByRole("list");
  await list.waitFor({ state: "visible" });
  const visits = (await list.getByRole("listitem").allInnerTexts()).map((text) => text.trim());
  return { total: Number(/\d+/.exec(totalText)?.[0]), visits };
}

describe("the webapp's page in a browser (headless Chromium)", () => {
  let browser: Browser | undefined;
  let stack: Stack | undefined;
  let page: Page;
  let adminerUrl = "";

  beforeAll(async () => {
    // The browser first: a machine without Chromium fails in a second, before any image is built.
    browser = await launchChromium();
    stack = await startStack({ label: "browser", env: { ADMINER_HOST_PORT: "0" } });
    // Lesson 8's database GUI beside it (about a second: a pulled image, no build).
    await compose(stack, ["--profile", "tools", "up", "--detach", "--wait", "adminer"]);
    adminerUrl = `http://${(await compose(stack, ["port", "adminer", "8080"])).stdout.trim()}`;
    page = await browser.newPage({ viewport: VIEWPORT });
    // Fail on a missing element in seconds, with Playwright's message, not at the test timeout.
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    try {
      await browser?.close();
      // testcontainers' `down` reads the Compose file without the profile, and leaves adminer running.
      if (stack) await compose(stack, ["--profile", "tools", "rm", "--stop", "--force", "adminer"]);
    } finally {
      await removeStack(stack);
    }
  });

  it("shows a person the api's message, the total visits and the list of recent visits", async () => {
    const res = await page.goto(stack!.webappUrl);
    expect(res?.status()).toBe(200);

    expect(await visibleText(page.getByRole("heading", { name: "Stockroom", level: 1 }))).toBe("Stockroom");
    await page.getByText("The API says: Hello from the API container!", { exact: true }).waitFor({ state: "visible" });
    await page.getByRole("heading", { name: "Recent visits" }).waitFor({ state: "visible" });

    const { total, visits } = await readVisits(page);
    expect(total).toBeGreaterThanOrEqual(1); // this load was recorded before the page was drawn
    expect(visits.length).toBeGreaterThanOrEqual(1);
    for (const visit of visits) expect(visit).toMatch(/^#\d+ at \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  });

  it("on reload, shows one more visit at the top of the list and a total one higher", async () => {
    await page.goto(stack!.webappUrl);
    const before = await readVisits(page);

    await page.reload();
    const after = await readVisits(page);

    expect(after.total).toBe(before.total + 1);
    expect(after.visits).toHaveLength(before.visits.length + 1);
    expect(after.visits.slice(1)).toEqual(before.visits); // the old visits, unchanged, below the new one
    const newestId = (visit: string | undefined) => Number(/^#(\d+)/.exec(visit ?? "")?.[1]);
    expect(newestId(after.visits[0])).toBeGreaterThan(newestId(before.visits[0]));
  });

  it("saves a full-page screenshot of the page as a test artifact", async () => {
    await mkdir(join(SCREENSHOT, ".."), { recursive: true });
    await rm(SCREENSHOT, { force: true }); // a file left by an earlier run proves nothing
    await page.goto(stack!.webappUrl);
    await page.getByText("The API says: Hello from the API container!", { exact: true }).waitFor({ state: "visible" });

    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    const png = await readFile(SCREENSHOT);
    expect(png.length).toBeGreaterThan(1_000);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE), "the screenshot starts with the PNG signature").toBe(true);
    // The IHDR chunk comes first: the image is as wide as the viewport and at least as tall.
    expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
    expect(png.readUInt32BE(16)).toBe(VIEWPORT.width);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(VIEWPORT.height);
  });

  it("opens Adminer's login form, with PostgreSQL to choose and the server db filled in", async () => {
    const res = await page.goto(adminerUrl);
    expect(res?.status()).toBe(200);
    expect(await page.title()).toBe("Login - Adminer");

    const system = page.locator("select[name='auth[driver]']");
    await system.waitFor({ state: "visible" });
    expect(await system.locator("option").allInnerTexts()).toContain("PostgreSQL");
    expect(await page.locator("input[name='auth[server]']").inputValue()).toBe("db");
    await page.getByRole("button", { name: "Login" }).waitFor({ state: "visible" });
  });
});
