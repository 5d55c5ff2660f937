import { readFileSync } from "node:fs";
import { basename, dirname, join, matchesGlob } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../support/repo.js";

// Dependabot proposes updates only in the folders .github/dependabot.yml
// names. These checks list the tracked files that pin something (a
// Dockerfile's base image, a package.json, a Compose file's images, the
// workflows' actions) and name each folder the config leaves out.
const CONFIG = ".github/dependabot.yml";
const read = (path: string) => readFileSync(join(repoRoot, path), "utf8");
const source = read(CONFIG);

interface Update {
  "package-ecosystem": string;
  directory?: string;
  directories?: string[];
  groups?: Record<string, { "update-types"?: string[] }>;
  ignore?: { "dependency-name"?: string; "update-types"?: string[]; versions?: string[] }[];
}
const config = parse(source) as { version: number; updates: Update[] };
const entries = (ecosystem: string) => config.updates.filter((u) => u["package-ecosystem"] === ecosystem);
/** The folders an ecosystem's entries name, spelled "/" or "/apps/api". */
const covered = (ecosystem: string) =>
  entries(ecosystem)
    .flatMap((u) => u.directories ?? [u.directory ?? ""])
    .map((dir) => `/${dir.replace(/^\/+|\/+$/g, "")}`);

const tracked = (await execa("git", ["-C", repoRoot, "ls-files", "-z"])).stdout.split("\0").filter(Boolean);
/** A file's folder as dependabot.yml spells it: "/" for the root, "/apps/api" for apps/api/Dockerfile. */
const folderOf = (path: string) => (dirname(path) === "." ? "/" : `/${dirname(path)}`);
const uncovered = (folders: string[], ecosystem: string) =>
  [...new Set(folders)].sort().filter((folder) => !covered(ecosystem).includes(folder));

/** Every tracked YAML file with a top-level `services:` key, parsed (anchors and `<<:` merges resolved). */
const composeFiles = tracked
  .filter((path) => /\.ya?ml$/.test(path))
  .map((path) => ({ path, doc: parse(read(path), { merge: true, logLevel: "error" }) as unknown }))
  .flatMap(({ path, doc }) => {
    const services = (doc as { services?: unknown } | null)?.services;
    return services && typeof services === "object"
      ? [{ path, services: Object.values(services) as { image?: unknown; build?: unknown }[] }]
      : [];
  });
/** "registry:5000/stockroom-api:${TAG:-v1}@sha256:..." names "registry:5000/stockroom-api". */
const imageName = (image: string) => (image.split("@")[0] as string).replace(/:[^/]*$/, "");
/** Images a Compose service builds here: there is nothing to pull, so nothing for Dependabot to update. */
const builtHere = new Set(
  composeFiles.flatMap(({ services }) =>
    services.flatMap((s) => (s.build && typeof s.image === "string" ? [imageName(s.image)] : [])),
  ),
);

describe(CONFIG, () => {
  it("is a version 2 config", () => {
    expect(config.version).toBe(2);
  });

  it("covers every folder with a Dockerfile with the docker ecosystem", () => {
    const dockerfiles = tracked.filter((path) => /dockerfile|containerfile/i.test(basename(path)));
    expect(dockerfiles.length).toBeGreaterThan(0);
    const folders = dockerfiles.map(folderOf);
    expect(uncovered(folders, "docker"), "folders with a Dockerfile missing from the docker entry").toEqual([]);
  });

  it("finds each Dockerfile's base image named in its FROM line, since Dependabot reads no ARG", () => {
    const dockerfiles = tracked.filter((path) => /dockerfile|containerfile/i.test(basename(path)));
    const hidden = dockerfiles.flatMap((path) => {
      const text = read(path);
      const stages = new Set([...text.matchAll(/^FROM\s.*\sAS\s+(\S+)/gim)].map(([, stage]) => stage));
      return [...text.matchAll(/^FROM\s+(?:--\S+\s+)*(\S+)/gim)]
        .map(([, image = ""]) => image)
        .filter((image) => !stages.has(image) && image.includes("$"))
        .map((image) => `${path}: FROM ${image}`);
    });
    expect(hidden, "base images Dependabot cannot read").toEqual([]);
  });

  it("covers every package.json with npm: the root entry takes in the workspaces, any other folder is named", () => {
    const { workspaces = [] } = JSON.parse(read("package.json")) as { workspaces?: string[] };
    const folders = tracked
      .filter((path) => basename(path) === "package.json")
      .map((path) => dirname(path))
      .map((dir) => (dir === "." || workspaces.some((glob) => matchesGlob(dir, glob)) ? "/" : `/${dir}`));
    expect(folders).toContain("/");
    expect(uncovered(folders, "npm"), "folders with a package.json (outside the workspaces) missing from npm").toEqual(
      [],
    );
  });

  it("covers every folder whose Compose files pull an image with docker-compose", () => {
    expect(composeFiles.length).toBeGreaterThan(0);
    const pulling = composeFiles.filter(({ services }) =>
      services.some((s) => typeof s.image === "string" && !builtHere.has(imageName(s.image))),
    );
    expect(pulling.map(({ path }) => path)).toContain("docker-compose.yml");
    const folders = pulling.map(({ path }) => folderOf(path));
    expect(uncovered(folders, "docker-compose"), "folders with Compose files missing from docker-compose").toEqual([]);
  });

  it("covers the workflows' actions with github-actions at /", () => {
    expect(tracked.some((path) => path.startsWith(".github/workflows/"))).toBe(true);
    expect(covered("github-actions")).toEqual(["/"]);
  });

  it("names only folders that exist", () => {
    const folders = new Set(["/", ...tracked.map(folderOf)]);
    const named = config.updates.flatMap((u) => covered(u["package-ecosystem"]));
    expect(
      named.filter((folder) => !folders.has(folder)),
      "folders named that hold no tracked file",
    ).toEqual([]);
  });

  it("groups npm's minor and patch updates in one pull request and leaves majors to one each", () => {
    const [npm] = entries("npm");
    // A group that names no update types takes majors too.
    const groups = Object.values(npm?.groups ?? {}).map((g) => [...(g["update-types"] ?? ["all"])].sort());
    expect(groups).toEqual([["minor", "patch"]]);
  });

  it("keeps turbo at its exact pin in package.json, and says which version", () => {
    const [npm] = entries("npm");
    expect(npm?.ignore).toContainEqual({ "dependency-name": "turbo" });
    const pin = (JSON.parse(read("package.json")) as { devDependencies: Record<string, string> }).devDependencies.turbo;
    expect(pin, "turbo's pin in package.json: an exact version, no ^ or ~").toMatch(/^\d+\.\d+\.\d+$/);
    expect(source, "the comment on turbo's ignore names the pinned version").toContain(`turbo stays at ${pin}:`);
  });
});
