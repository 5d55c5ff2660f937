import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPage } from "../support/page.js";
import type { Stack } from "../support/stack.js";
import { compose, inspectService, removeStack, startStack } from "../support/stack.js";

// Adminer (lesson 8), the database GUI behind the "tools" profile: a learner's
// `docker compose up` leaves it out, and with the profile it logs in to `db`
// by its service name with the password a person reads from the secret and
// types in. Adminer's own forms are driven over HTTP, the way a browser
// would: its session cookie (kept by supertest's agent), then the CSRF token
// of its SQL command page.

/** The login form's fields, as a person fills them in on lesson 8's screen. */
const login = (password: string) => ({
  "auth[driver]": "pgsql",
  "auth[server]": "db",
  "auth[username]": "stockroom",
  "auth[password]": password,
  "auth[db]": "stockroom",
});
/** Where Adminer sends a logged-in person: database stockroom on server db. */
const DATABASE_PAGE = "/?pgsql=db&username=stockroom&db=stockroom";
const SQL_COMMAND_PAGE = `${DATABASE_PAGE}&ns=public&sql=`;

/** The hidden CSRF token of the first form on an Adminer page. */
function tokenOn(html: string): string {
  const token = /<input type='hidden' name='token' value='([^']+)'>/.exec(html)?.[1];
  if (!token) throw new Error(`the page has no form token:\n${html.slice(0, 2000)}`);
  return token;
}

/** The single number under the `count` column of a query's result table. */
function countOn(html: string): number {
  const cell = /<th>count\b[\s\S]*?<td>(\d+)/.exec(html)?.[1];
  if (!cell) throw new Error(`the page shows no count:\n${html.slice(0, 4000)}`);
  return Number(cell);
}

describe("Adminer behind the tools profile (docker-compose.yml)", () => {
  let stack: Stack | undefined;
  let servicesOfPlainUp: string[] = [];
  let adminerUrl = "";

  beforeAll(async () => {
    // A learner's stack first (`up` without the profile), then Adminer added to it.
    stack = await startStack({ label: "adminer", env: { ADMINER_HOST_PORT: "0" } });
    servicesOfPlainUp = (await compose(stack, ["ps", "--all", "--services"])).stdout.split("\n");
    await compose(stack, ["--profile", "tools", "up", "--detach", "--wait", "adminer"]);
    adminerUrl = `http://${(await compose(stack, ["port", "adminer", "8080"])).stdout.trim()}`;
  });

  afterAll(async () => {
    try {
      // Adminer first: a `down` that reads the Compose file without the
      // profile (as testcontainers' does) leaves the profile's containers running.
      if (stack) await compose(stack, ["--profile", "tools", "rm", "--stop", "--force", "adminer"]);
    } finally {
      await removeStack(stack);
    }
  });

  it("is left out of docker compose up: without the profile, Compose neither lists nor starts it", async () => {
    const services = (await compose(stack!, ["config", "--services"])).stdout.split("\n");
    expect(services).toContain("db");
    expect(services).not.toContain("adminer");
    expect(servicesOfPlainUp).toContain("webapp");
    expect(servicesOfPlainUp).not.toContain("adminer");
  });

  it("is published on 127.0.0.1 only and sits on the backend network only, beside db and away from the api", async () => {
    const { NetworkSettings } = (await inspectService(stack!, "adminer")) as unknown as {
      NetworkSettings: { Ports: Record<string, { HostIp: string }[] | null>; Networks: Record<string, unknown> };
    };
    expect((NetworkSettings.Ports["8080/tcp"] ?? []).map((binding) => binding.HostIp)).toEqual(["127.0.0.1"]);
    expect(Object.keys(NetworkSettings.Networks)).toEqual([`${stack!.project}_backend`]);

    const resolve = (host: string) => compose(stack!, ["exec", "-T", "adminer", "getent", "hosts", host]);
    expect((await resolve("db")).stdout).toMatch(/^\d{1,3}(\.\d{1,3}){3}\s+db\b/);
    expect((await resolve("api").catch((err: { exitCode: number }) => err)).exitCode).toBe(2); // not found
  });

  it("runs read-only, with no capabilities, no way to gain privileges, and no password in its environment", async () => {
    const { Config, HostConfig } = (await inspectService(stack!, "adminer")) as unknown as {
      Config: { Env: string[] };
      HostConfig: { ReadonlyRootfs: boolean; CapDrop: string[]; SecurityOpt: string[] };
    };
    expect(HostConfig.ReadonlyRootfs).toBe(true);
    expect(HostConfig.CapDrop).toEqual(["ALL"]);
    expect(HostConfig.SecurityOpt).toContain("no-new-privileges:true");
    const password = (await compose(stack!, ["exec", "-T", "db", "cat", "/run/secrets/db_password"])).stdout.trim();
    expect(Config.Env.join("\n")).not.toContain(password);
  });

  it("logs in to server db with the secret's password and counts the page loads with SELECT count(*) FROM visits", async () => {
    const pageLoads = 3;
    for (let i = 0; i < pageLoads; i++) expect((await loadPage(stack!.webappUrl)).status).toBe(200);
    // The password a person reads from the secret and types into the form: Adminer itself holds none.
    const password = (await compose(stack!, ["exec", "-T", "db", "cat", "/run/secrets/db_password"])).stdout.trim();
    const browser = supertest.agent(adminerUrl);

    const loginPage = await browser.get("/").expect(200);
    expect(loginPage.text).toContain("<title>Login - Adminer</title>");
    await browser.post("/").type("form").send(login(password)).expect(302).expect("Location", DATABASE_PAGE.slice(1));

    const sqlPage = await browser.get(SQL_COMMAND_PAGE).expect(200);
    expect(sqlPage.text).toContain("<title>SQL command - db - Adminer</title>");
    const result = await browser
      .post(SQL_COMMAND_PAGE)
      .type("form")
      .send({ query: "SELECT count(*) FROM visits", limit: "", token: tokenOn(sqlPage.text) })
      .expect(200);

    expect(countOn(result.text)).toBe(pageLoads);
  });

  it("refuses a wrong password, saying so on its login page", async () => {
    const browser = supertest.agent(adminerUrl);
    await browser.get("/").expect(200);
    await browser.post("/").type("form").send(login("not-the-password")).expect(302);

    const answer = await browser.get(DATABASE_PAGE).expect(403);
    expect(answer.text).toContain("<title>Login - db - Adminer</title>");
    expect(answer.text).toContain("password authentication failed");
    expect(answer.text).not.toContain("<title>SQL command");
  });
});
