// The floor, which throughput.ts runs inside the webapp container (its node, its pg): a bare
// node:http server with a pg Pool of 10, as the webapp's, running the minimal statements and rendering the 50
// rows, with no Express, no api call and no request log. Arguments: its port, then its lifetime in seconds.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import pg from "pg";

const [port, lifetime] = process.argv.slice(1).map(Number);
const { PGPASSWORD_FILE: file, PGPASSWORD } = process.env;
const pool = new pg.Pool({ max: 10, password: file ? readFileSync(file, "utf8").trim() : PGPASSWORD });
createServer(async (_req, res) => {
  try {
    await pool.query("INSERT INTO visits DEFAULT VALUES");
    const { rows } = await pool.query("SELECT id, visited_at FROM visits ORDER BY id DESC LIMIT 50");
    const items = rows.map((r) => `<li>${r.id} ${r.visited_at.toISOString()}</li>`).join("");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><title>floor</title><ul>${items}</ul>`);
  } catch (err) {
    res.writeHead(500).end(String(err));
  }
}).listen(port);
setTimeout(() => process.exit(0), lifetime! * 1000);
