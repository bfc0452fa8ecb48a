// What the browser tests share: the server binary in a temp dir on a random port, Debian's
// Chromium through playwright-core (never a downloaded browser), `check` and `waitFor`.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const artifacts = resolve(here, '../../../tests/e2e/artifacts');
const bin = process.env.SWITCHBOARD_BIN ?? resolve(here, '../../../target/debug/switchboard');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function check(cond, msg) {
  if (!cond) throw new Error(`check failed: ${msg}`);
  console.log(`ok - ${msg}`);
}

export async function waitFor(fn, what, timeoutMs) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what} (last: ${last})`);
}

/** Starts `switchboard serve --demo …args` on a port outside Linux's ephemeral range (32768–60999, where
 * other processes' outgoing sockets live) and waits until it answers `/readyz`. If the port turns out to be
 * taken — the server exits before it is ready — it tries again on another port. */
async function start(args, dir, env) {
  for (let attempt = 1; ; attempt++) {
    const port = 12000 + Math.floor(Math.random() * 20000);
    const base = `http://127.0.0.1:${port}`;
    const server = spawn(bin, ['serve', '--demo', '--listen', `127.0.0.1:${port}`, ...args], { cwd: dir, env, stdio: ['ignore', 'inherit', 'inherit'] });
    let exited = null;
    server.on('exit', (code, signal) => (exited = code ?? signal));
    try {
      // Ready, or exited (its port taken): either ends the wait. Each probe is bounded, since
      // whatever holds a taken port may accept and never answer.
      const ready = async () => (await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2_000) })).ok;
      await waitFor(async () => exited !== null || (await ready()), 'the server', 180_000);
    } catch (e) {
      server.kill('SIGTERM');
      throw e;
    }
    if (exited === null) return { base, server };
    if (attempt >= 5) throw new Error(`the server exited (${exited}) ${attempt} times before it was ready`);
    console.log(`# the server exited (${exited}) before it was ready on port ${port}; trying another port`);
  }
}

/** Runs `switchboard serve --demo …args` in a temp dir (on SQLite there), waits until it is ready, and hands
 * `body({ base, browser })` a headless Chromium; everything is cleaned up afterwards. */
export async function withServer(args, body) {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
  // Each test gets its own city in its own SQLite file, whatever DATABASE_URL the test run has.
  const env = { ...process.env };
  delete env.DATABASE_URL;
  let browser;
  let server;
  try {
    const started = await start(args, dir, env);
    server = started.server;
    browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    await body({ base: started.base, browser });
  } finally {
    await browser?.close();
    server?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
