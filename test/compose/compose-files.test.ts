import { globSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../support/repo.js";

// Three promises about every Compose file in the repository, checked without
// Docker: `npm run lint:compose` (dclint) reads each one, each publishes
// its ports on ${PUBLISH_ADDRESS:-127.0.0.1}, so nothing is open to the
// room's Wi-Fi by default, and every variable one reads is documented where a
// learner looks for it. dclint's own rule for the second cannot read the
// variable (see .dclintrc.yml); this one is stricter: an explicit 0.0.0.0
// fails here too.

/** The address every published port must use: the variable, with loopback as its default. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Compose's variable syntax, not a JavaScript template
const PUBLISH_ADDRESS = "${PUBLISH_ADDRESS:-127.0.0.1}";

/** Swarm stack files: `docker stack deploy` cannot bind an address, so their ports carry none (lesson 13). */
const SWARM_STACK_FILES = ["docker-stack.yml", "swarm-lab/stack.yml"];

/** Every YAML file with a top-level `services` map, relative to the repo root: what Compose (or Swarm) runs. */
function composeFiles(): string[] {
  return globSync("**/*.{yml,yaml}", {
    cwd: repoRoot,
    exclude: (path) => /(^|\/)(node_modules|dist|\.turbo|\.git|test-results)$/.test(path),
  })
    .filter((path) => {
      const document = readYaml(path);
      return typeof document?.services === "object" && document.services !== null;
    })
    .sort();
}

/** Parses a Compose file; Compose's own tags (!reset, !override) are read as plain values. */
function readYaml(path: string): { services?: Record<string, { ports?: unknown[] } | null> } | null {
  return parse(readFileSync(join(repoRoot, path), "utf8"), { logLevel: "error" });
}

/** The files `npm run lint:compose` names, its shell globs expanded as sh would. */
function lintedFiles(): string[] {
  const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
  const script: string = manifest.scripts["lint:compose"];
  const patterns = script.split(/\s+/).filter((arg) => /\.ya?ml$/.test(arg));
  return [...new Set(patterns.flatMap((pattern) => globSync(pattern, { cwd: repoRoot })))].sort();
}

/**
 * The variables a Compose file reads: `${NAME}`, `${NAME:-default}` and the
 * other `${NAME...}` forms, and `$NAME`, in any value (comments are not read).
 * `$$` is a literal dollar sign, passed on to the container's shell.
 */
function variablesIn(compose: string): string[] {
  const strings = (value: unknown): string[] =>
    typeof value === "string"
      ? [value]
      : typeof value === "object" && value !== null
        ? Object.values(value).flatMap(strings)
        : [];
  const names = strings(parse(compose, { logLevel: "error" })).flatMap((text) =>
    [...text.replaceAll("$$", "").matchAll(/\$\{?([A-Za-z_]\w*)/g)].map(([, name]) => name as string),
  );
  return [...new Set(names)].sort();
}

/** A published port's address, in either of Compose's two syntaxes ("" when it names none). */
function addressOf(port: unknown): string {
  if (typeof port === "object" && port !== null) return String((port as { host_ip?: unknown }).host_ip ?? "");
  // Short syntax: [address:]host port:container port. Colons inside ${...} (a default) or [...] (IPv6) do not split.
  const parts = String(port).split(/:(?![^{]*\})(?![^[]*\])/);
  return parts.length >= 3 ? parts.slice(0, -2).join(":") : "";
}

describe("the Compose files", () => {
  const files = composeFiles();

  it("are found: the base file, its overrides and the lessons' files", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "docker-compose.yml",
        "docker-compose.ephemeral.yml",
        "docker-stack.yml",
        "docs/workshop/compose/api-only.yml",
      ]),
    );
  });

  it("are all linted by npm run lint:compose", () => {
    expect(lintedFiles()).toEqual(files);
  });

  it("publish every port on PUBLISH_ADDRESS, loopback unless a learner opens it up", () => {
    const offenders = files
      .filter((file) => !SWARM_STACK_FILES.includes(file))
      .flatMap((file) =>
        Object.entries(readYaml(file)?.services ?? {}).flatMap(([service, definition]) =>
          (definition?.ports ?? [])
            .filter((port) => addressOf(port) !== PUBLISH_ADDRESS)
            .map((port) => `${file}: ${service} publishes ${JSON.stringify(port)}`),
        ),
      );
    expect(offenders).toEqual([]);
  });

  // The suite's own fixtures (test/*/fixtures) are left out: their variables
  // (SLOW_API_DELAY_MS) are set by the tests that use them, never by a learner.
  it("read only variables docs/configuration.md and .env.example both describe", () => {
    const configuration = readFileSync(join(repoRoot, "docs/configuration.md"), "utf8");
    const envExample = readFileSync(join(repoRoot, ".env.example"), "utf8");
    const variables = [
      ...new Set(
        files
          .filter((file) => !file.startsWith("test/"))
          .flatMap((file) => variablesIn(readFileSync(join(repoRoot, file), "utf8"))),
      ),
    ].sort();
    expect(variables).toContain("API_TAG");
    // A row of one of its tables, and a line `NAME=...` (commented out when only the shell can set it).
    const undocumented = variables.filter((name) => !new RegExp(`^\\| \`${name}\` \\|`, "m").test(configuration));
    const notInEnvExample = variables.filter((name) => !new RegExp(`^#?\\s*${name}=`, "m").test(envExample));
    expect({ undocumented, notInEnvExample }).toEqual({ undocumented: [], notInEnvExample: [] });
  });

  it("finds the variables in every form Compose reads, and not an escaped $$", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose's variable syntax, not a JavaScript template
    const file = "services:\n  a:\n    image: x:${TAG:-v1}\n    command: echo $$HOME $USER ${PORT?set it}\n";
    expect(variablesIn(file)).toEqual(["PORT", "TAG", "USER"]);
  });

  it("reads an address in both port syntaxes", () => {
    expect(addressOf(`${PUBLISH_ADDRESS}:\${WEBAPP_HOST_PORT:-8080}:5000`)).toBe(PUBLISH_ADDRESS);
    expect(addressOf("0.0.0.0:8080:5000")).toBe("0.0.0.0");
    expect(addressOf("8080:5000")).toBe("");
    expect(addressOf("[::1]:8080:5000")).toBe("[::1]");
    expect(addressOf({ target: 5000, published: "8080", host_ip: "127.0.0.1" })).toBe("127.0.0.1");
    expect(addressOf({ target: 5000, published: "8080" })).toBe("");
  });
});
