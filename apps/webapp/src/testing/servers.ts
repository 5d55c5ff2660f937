// Real servers on loopback for the api client's tests (clients/*.test.ts):
// one that answers, a port nothing listens on, a port whose connect hangs.
// Each test file calls `afterEach(closeServers)`.
import { spawn } from "node:child_process";
import { once } from "node:events";
import type { RequestListener, Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { connect } from "node:net";
import { createInterface } from "node:readline";

/** Every server `serve` started, oldest first, until `closeServers`. */
export const servers: Server[] = [];
const cleanups: Array<() => void> = [];

/** A real HTTP server on a free port (or the given one), closed after each test. */
export async function serve(handler: RequestListener, host = "127.0.0.1", port = 0): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

/** A port nothing listens on: one just released by a server. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A port on `host` where a connect never completes, as with a replica just
 * removed from a Docker network: a listener in a child process that never
 * accepts (its event loop is blocked), with its accept queue filled, so the
 * kernel drops every further SYN. Loopback only.
 */
export async function unansweringPort(host: string): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `const server = require("node:net").createServer();
       server.listen({ port: 0, host: ${JSON.stringify(host)}, backlog: 1 }, () => {
         process.stdout.write(server.address().port + "\\n");
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
       });`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const fillers: Socket[] = [];
  cleanups.push(() => {
    for (const socket of fillers) socket.destroy();
    child.kill("SIGKILL");
  });
  const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
  const port = Number(line);
  // Connect until one does not: the queue is full from then on.
  for (let tries = 0; tries < 8; tries += 1) {
    const socket = connect(port, host);
    fillers.push(socket);
    const connected = await Promise.race([
      once(socket, "connect").then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 300)),
    ]);
    if (!connected) return port;
  }
  throw new Error(`every connect to ${host}:${port} completed: the accept queue never filled`);
}

/** Stops every unanswering port and closes every server, dropping their connections. */
export async function closeServers(): Promise<void> {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
}
