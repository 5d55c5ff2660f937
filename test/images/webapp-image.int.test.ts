import type { StartedTestContainer } from "testcontainers";
import { GenericContainer, getContainerRuntimeClient, Wait } from "testcontainers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuiltImage } from "../support/build-image.js";
import { buildImage } from "../support/build-image.js";
import { loadPage } from "../support/page.js";

describe("the webapp image, started without a database", () => {
  let image: BuiltImage | undefined;
  let webapp: StartedTestContainer | undefined;
  let webappUrl: string;

  beforeAll(async () => {
    image = await buildImage("webapp", "apps/webapp/Dockerfile");
    webapp = await new GenericContainer(image.name)
      // A name that never resolves (RFC 2606): there is no Postgres anywhere.
      .withEnvironment({ PGHOST: "no-database.invalid" })
      .withExposedPorts(5000)
      .withWaitStrategy(Wait.forHealthCheck())
      .start();
    webappUrl = `http://${webapp.getHost()}:${webapp.getMappedPort(5000)}`;
  });

  afterAll(async () => {
    await webapp?.stop();
    await image?.remove();
  });

  it("is built to run as the non-root user node, on port 5000 (metrics on 9464), with a healthcheck", async () => {
    const config = await image!.config();
    expect(config.User).toBe("node");
    expect(Object.keys(config.ExposedPorts ?? {}).sort()).toEqual(["5000/tcp", "9464/tcp"]);
    expect(config.Healthcheck?.Test?.join(" ")).toContain("/healthz");
  });

  it("runs its process as uid 1000, not root", async () => {
    const { exitCode, stdout } = await webapp!.exec(["id", "-u"]);
    expect(exitCode).toBe(0);
    expect(stdout.trim()).toBe("1000");
  });

  it("turns healthy anyway: /healthz is liveness and does not check the database", async () => {
    const client = await getContainerRuntimeClient();
    const state = (await client.container.inspect(client.container.getById(webapp!.getId()))).State;
    expect(state.Health?.Status).toBe("healthy");

    const res = await fetch(new URL("/healthz", webappUrl));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("answers the page with a 503 that says the database is not reachable", async () => {
    const page = await loadPage(webappUrl);
    expect(page.status).toBe(503);
    expect(page.html).toContain("The database is not reachable right now.");
  });

  it("reports not ready on /readyz", async () => {
    const res = await fetch(new URL("/readyz", webappUrl));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "unavailable" });
  });
});
