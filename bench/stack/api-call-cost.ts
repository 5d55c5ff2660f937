// What one `GET http://api:5001/` costs, run by throughput.ts inside the webapp container on an idle stack:
// the mean of 300 calls one after the other on a new connection each (a DNS lookup and a TCP connect), on one
// kept-alive connection (as the webapp calls it), and of the DNS lookup of `api` alone. Prints JSON.
import { lookup } from "node:dns/promises";
import { Agent, get } from "node:http";

const call = (agent: Agent | false) =>
  new Promise((resolve, reject) => {
    get("http://api:5001/", { agent }, (res) => res.resume().on("end", resolve)).on("error", reject);
  });
async function mean(work: () => Promise<unknown>, times = 300): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < times; i++) await work();
  return (performance.now() - started) / times;
}
await mean(() => call(false), 30);
const fresh = await mean(() => call(false));
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
await mean(() => call(agent), 30);
const kept = await mean(() => call(agent));
process.stdout.write(JSON.stringify({ fresh, kept, lookup: await mean(() => lookup("api")) }));
