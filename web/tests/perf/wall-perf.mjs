// Measures the map wall against a running server (scripts/bench-wall.sh starts one with 100 000
// open tickets): the first render of /wall, and the delay from an API write to the map having
// drawn it. Real headless Chromium (Debian's), driven by playwright-core.
//
//   WALL_URL=http://127.0.0.1:18080 CHROMIUM_PATH=/usr/bin/chromium node tests/perf/wall-perf.mjs
//
// First render: from navigation start to the first `idle` of the map after the page has loaded
// areas, the ticket layer and the key figures (the page writes it to body[data-first-render-ms]).
// Write → map: the clock starts before `POST /api/v1/tickets`; it stops when the map goes idle
// after drawing a ticket layer that includes the ticket's event (window.wallDrawn.seq ≥ the seq
// of the event that brought the ticket). Both clocks are the same machine's.

import { chromium } from 'playwright-core';

const base = process.env.WALL_URL ?? 'http://127.0.0.1:8080';
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const writes = Number(process.env.WALL_WRITES ?? 30);
const runs = Number(process.env.WALL_LOADS ?? 3);

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const login = await context.request.post(`${base}/api/v1/session`, { data: { name: 'operator', password: process.env.SWITCHBOARD_DEMO_PASSWORD ?? 'switchboard-demo' } });
  if (!login.ok()) throw new Error(`sign-in failed: ${login.status()}`);
  const layer = await (await context.request.get(`${base}/api/v1/map/tickets`, { headers: { 'accept-encoding': 'gzip' } })).body();
  const page = await context.newPage();

  const loads = [];
  for (let i = 0; i < runs; i++) {
    await page.goto(`${base}/wall`);
    await page.waitForSelector('body[data-first-render-ms]', { state: 'attached', timeout: 300_000 });
    loads.push(Number(await page.getAttribute('body', 'data-first-render-ms')));
    console.error(`load ${i + 1}: first render after ${loads.at(-1)} ms`);
  }
  const held = await page.evaluate(() => window.wallTickets.size);
  const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? null);
  const categories = await (await context.request.get(`${base}/api/v1/categories`)).json();

  const delays = [];
  for (let i = 0; i < writes; i++) {
    const lon = 108.2 + (Math.random() - 0.5) * 0.04;
    const lat = 16.06 + (Math.random() - 0.5) * 0.04;
    const t0 = Date.now();
    const r = await context.request.post(`${base}/api/v1/tickets`, {
      headers: { 'idempotency-key': `wall-perf-${t0}-${i}` },
      data: { category: categories.categories[i % categories.categories.length].code, description: 'Đo độ trễ bản đồ', location: { lon, lat } },
    });
    if (r.status() !== 201) throw new Error(`POST /api/v1/tickets: ${r.status()} ${await r.text()}`);
    const { id } = await r.json();
    const drawnAt = await page.evaluate(
      (id) =>
        new Promise((resolve) => {
          let seq = null;
          const give = Date.now() + 60_000;
          const poll = () => {
            if (seq === null && window.wallTickets.has(id)) seq = window.wallSeq;
            if (seq !== null && window.wallDrawn && window.wallDrawn.seq >= seq) return resolve(window.wallDrawn.at);
            if (Date.now() > give) return resolve(null);
            setTimeout(poll, 2);
          };
          poll();
        }),
      id,
    );
    if (drawnAt === null) throw new Error(`ticket ${id} was not drawn within 60 s`);
    delays.push(drawnAt - t0);
    console.error(`write ${i + 1}: on the map after ${drawnAt - t0} ms`);
    await page.waitForTimeout(200 + Math.random() * 300);
  }

  const out = {
    url: base,
    open_tickets_on_the_map: held,
    map_layer_json_bytes: layer.length,
    first_render_ms: loads,
    js_heap_mb: heap && Math.round(heap / 1e6),
    write_to_map_ms: { n: delays.length, p50: pct(delays, 50), p90: pct(delays, 90), p99: pct(delays, 99), max: Math.max(...delays) },
  };
  console.log(JSON.stringify(out, null, 2));
} finally {
  await browser.close();
}
