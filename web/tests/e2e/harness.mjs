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

/** Runs `switchboard serve --demo …args` in a temp dir (on SQLite there), waits until it is ready, and hands
 * `body({ base, browser })` a headless Chromium; everything is cleaned up afterwards. */
export async function withServer(args, body) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const base = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
  // Each test gets its own city in its own SQLite file, whatever DATABASE_URL the test run has.
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const server = spawn(bin, ['serve', '--demo', '--listen', `127.0.0.1:${port}`, ...args], { cwd: dir, env, stdio: ['ignore', 'inherit', 'inherit'] });
  let browser;
  try {
    await waitFor(async () => (await fetch(`${base}/readyz`)).ok, 'the server', 180_000);
    browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    await body({ base, browser });
  } finally {
    await browser?.close();
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
