#!/usr/bin/env node
import { runJob } from "./job/run-job.js";

process.exitCode = await runJob({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  signals: process,
});
