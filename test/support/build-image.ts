import { randomUUID } from "node:crypto";
import { execa } from "execa";
import type { ContainerRuntimeClient } from "testcontainers";
import { GenericContainer, getContainerRuntimeClient, ImageName } from "testcontainers";
import { repoRoot } from "./repo.js";

/** An image this test file built; `remove()` it in afterAll. */
export interface BuiltImage {
  /** The unique tag, e.g. `stockroom-api:int-test-1a2b3c4d`. */
  name: string;
  /** The image's config as Docker reports it (`docker image inspect`'s `.Config`). */
  config(): Promise<ImageConfig>;
  /** Untags the image (its layers stay in the BuildKit cache, so the next build is quick). */
  remove(): Promise<void>;
}

type ImageInspectInfo = Awaited<ReturnType<ContainerRuntimeClient["image"]["inspect"]>>;
export type ImageConfig = NonNullable<ImageInspectInfo["Config"]>;

/**
 * Builds `dockerfile` (relative to the repo root) with the repo root as context, through
 * BuildKit (the Dockerfiles use cache mounts), under a tag unique to this run.
 *
 * Why a unique tag: testcontainers only notices a failed build by the tag being absent
 * afterwards, so a stable tag left by an earlier run would hide a broken build and the
 * tests would exercise a stale image. The layers stay cached, so a rebuild is quick.
 */
export async function buildImage(label: string, dockerfile: string): Promise<BuiltImage> {
  const name = `stockroom-${label}:int-test-${randomUUID().slice(0, 8)}`;
  try {
    await GenericContainer.fromDockerfile(repoRoot, dockerfile).withBuildkit().build(name, { deleteOnExit: false });
  } catch (err) {
    throw new Error(`${dockerfile} did not build.\n${await whyTheBuildFails(dockerfile)}`, { cause: err });
  }
  const client = await getContainerRuntimeClient();
  return {
    name,
    async config() {
      const info = await client.image.inspect(ImageName.fromString(name));
      if (!info.Config) throw new Error(`docker image inspect ${name} shows no Config`);
      return info.Config;
    },
    async remove() {
      await client.container.dockerode.getImage(name).remove();
    },
  };
}

/**
 * testcontainers swallows the build log, so on failure build once more with the CLI
 * (from the cache, up to the failing step; exporting no image) and keep the end of its output.
 */
async function whyTheBuildFails(dockerfile: string): Promise<string> {
  const command = ["build", "--progress=plain", "--output=type=cacheonly", "-f", dockerfile, "."];
  const run = await execa("docker", command, {
    cwd: repoRoot,
    reject: false,
    all: true,
    env: { DOCKER_BUILDKIT: "1" },
  });
  const tail = (run.all ?? "").split("\n").slice(-40).join("\n");
  return `\`docker ${command.join(" ")}\` (from ${repoRoot}) exited ${run.exitCode}:\n${tail}`;
}
