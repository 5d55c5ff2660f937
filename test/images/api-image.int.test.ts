import type { StartedTestContainer } from "testcontainers";
import { GenericContainer, getContainerRuntimeClient, Wait } from "testcontainers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuiltImage } from "../support/build-image.js";
import { buildImage } from "../support/build-image.js";

describe("the api image", () => {
  let image: BuiltImage | undefined;
  let api: StartedTestContainer | undefined;
  let apiUrl: string;

  beforeAll(async () => {
    image = await buildImage("api", "apps/api/Dockerfile");
    // Resolves only once Docker itself reports the container healthy.
    api = await new GenericContainer(image.name).withExposedPorts(5001).withWaitStrategy(Wait.forHealthCheck()).start();
    apiUrl = `http://${api.getHost()}:${api.getMappedPort(5001)}`;
  });

  afterAll(async () => {
    await api?.stop();
    await image?.remove();
  });

  it("is built to run as the non-root user node, on port 5001 (metrics on 9464), with a healthcheck", async () => {
    const config = await image!.config();
    expect(config.User).toBe("node");
    expect(Object.keys(config.ExposedPorts ?? {}).sort()).toEqual(["5001/tcp", "9464/tcp"]);
    expect(config.Healthcheck?.Test?.join(" ")).toContain("/healthz");
  });

  it("runs its process as uid 1000, not root", async () => {
    const { exitCode, stdout } = await api!.exec(["id", "-u"]);
    expect(exitCode).toBe(0);
    expect(stdout.trim()).toBe("1000");
  });

  it("turns healthy under Docker's own healthcheck", async () => {
    const client = await getContainerRuntimeClient();
    const state = (await client.container.inspect(client.container.getById(api!.getId()))).State;
    expect(state.Health?.Status).toBe("healthy");
  });

  it("answers GET / on its mapped port with its message, as plain text", async () => {
    const res = await fetch(apiUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toBe("Hello from the API container!");
  });

  it("names the container that answered, on /whoami and in X-Served-By", async () => {
    const res = await fetch(new URL("/whoami", apiUrl));
    const hostname = api!.getHostname();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hostname });
    expect(res.headers.get("x-served-by")).toBe(hostname);
  });
});
