// Measures the map wall against a running server (scripts/bench-wall.sh starts one with 100 000
// open tickets): the first render of /wall, and the delay from an API write to the map having
// drawn it. Real headless Chromium (Debian's), driven by playwright-core.
//
//   WALL_URL=http://127.0.0.1:18080 CHROMIUM_PATH=/usr/bin/chromium node tests/perf/wall-perf.mjs
//
// First render: from navigation start to the first frame drawn once the page has loaded the
// areas, the key figures and the first view's ticket tiles (the page writes it to
// body[data-first-render-ms]). Each load also counts the ticket tiles asked for, their bytes on
// the wire and how many were 304s.
// Write → map: the clock starts before `POST /api/v1/tickets`; it stops when the map goes idle
// after drawing a ticket layer that includes the ticket's event (window.wallDrawn.seq ≥ the seq
// of the event that brought the ticket). Both clocks are the same machine's.
// Memory over a simulated day: the page's JS heap (after a forced GC, Chromium's DevTools
// protocol) and the renderer processes' resident memory, after the load and again after
// WALL_BURST (default 1 000 000) live events fed to the page's own event handler
// (window.wallApplyEvent) as fast as it takes them, WALL_BURST_BATCH per animation frame: status
// changes of tickets on the map (up to 100 000 of GET /api/v1/map/tickets, in turn), each a new
// version. MapLibre's workers' heaps are not in the JS
// heap figure; they are in the renderer memory.

import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const base = process.env.WALL_URL ?? 'http://127.0.0.1:8080';
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const writes = Number(process.env.WALL_WRITES ?? 30);
const runs = Number(process.env.WALL_LOADS ?? 3);
const burst = Number(process.env.WALL_BURST ?? 1_000_000);
const burstBatch = Number(process.env.WALL_BURST_BATCH ?? 2000);

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** The page's JS heap after a full GC, in MB. */
async function heapMb(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return Math.round(usedSize / 1e5) / 10;
}

/** Resident memory of this browser's renderer processes (one page, its workers inside), in MB. */
async function rendererRssMb(browser) {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  await cdp.detach();
  const pids = processInfo.filter((p) => p.type === 'renderer').map((p) => String(p.id));
  if (!pids.length) return null;
  const ps = execFileSync('ps', ['-o', 'rss=', '-p', pids.join(',')], { encoding: 'utf8' });
  return Math.round(ps.split('\n').reduce((sum, l) => sum + (Number(l.trim()) || 0), 0) / 1024);
}

const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const login = await context.request.post(`${base}/api/v1/session`, { data: { name: 'operator', password: process.env.SWITCHBOARD_DEMO_PASSWORD ?? 'switchboard-demo' } });
  if (!login.ok()) throw new Error(`sign-in failed: ${login.status()}`);
  // What the wall shows, as the JSON layer has it (for the count and the burst's tickets).
  const layer = await (await context.request.get(`${base}/api/v1/map/tickets`, { headers: { 'accept-encoding': 'gzip' } })).body();
  const mapTickets = JSON.parse(layer.toString('utf8'));
  const col = Object.fromEntries(mapTickets.columns.map((c, i) => [c, i]));
  const pool = mapTickets.rows.slice(0, 100_000).map((r) => [r[col.id], r[col.lon], r[col.lat], r[col.status], r[col.version]]);
  const page = await context.newPage();
  let tiles = null;
  page.on('response', async (r) => {
    if (!tiles || !r.url().includes('/tiles/tickets/')) return;
    tiles.requests++;
    if (r.status() === 304) tiles.not_modified++;
    if (r.headers()['x-tile-cache'] === 'miss') tiles.encoded++;
    const size = Number((await r.request().sizes().catch(() => null))?.responseBodySize ?? 0);
    tiles.bytes += size;
  });

  const loads = [];
  const tileLoads = [];
  for (let i = 0; i < runs; i++) {
    tiles = { requests: 0, not_modified: 0, encoded: 0, bytes: 0 };
    await page.goto(`${base}/wall`);
    await page.waitForSelector('body[data-first-render-ms]', { state: 'attached', timeout: 300_000 });
    loads.push(Number(await page.getAttribute('body', 'data-first-render-ms')));
    tileLoads.push(tiles);
    console.error(`load ${i + 1}: first render after ${loads.at(-1)} ms; ticket tiles ${JSON.stringify(tiles)}`);
  }
  tiles = null;
  const held = mapTickets.rows.length;
  const cdp = await context.newCDPSession(page);
  const heapAtStart = await heapMb(cdp);
  const rssAtStart = await rendererRssMb(browser);
  const categories = await (await context.request.get(`${base}/api/v1/categories`)).json();

  const delays = [];
  for (let i = 0; i < writes; i++) {
    // A random point near the centre; one that falls outside the city's areas (422) is drawn again.
    let t0;
    let r;
    for (let attempt = 0; attempt < 10; attempt++) {
      const lon = 108.2 + (Math.random() - 0.5) * 0.04;
      const lat = 16.06 + (Math.random() - 0.5) * 0.04;
      t0 = Date.now();
      r = await context.request.post(`${base}/api/v1/tickets`, {
        headers: { 'idempotency-key': `wall-perf-${t0}-${i}-${attempt}` },
        data: { category: categories.categories[i % categories.categories.length].code, description: 'Đo độ trễ bản đồ', location: { lon, lat } },
      });
      if (r.status() !== 422) break;
    }
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

  console.error(`burst: ${burst} live events, ${burstBatch} a frame`);
  const burstMs = await page.evaluate(
    ({ n, batch, pool }) =>
      new Promise((resolve) => {
        const statuses = ['received', 'assigned', 'accepted', 'in_progress', 'returned'];
        let sent = 0;
        let seq = window.wallSeq;
        const t0 = performance.now();
        const frame = () => {
          for (let k = 0; k < batch && sent < n; k++, sent++) {
            const [id, lon, lat, status, version] = pool[sent % pool.length];
            const round = Math.floor(sent / pool.length) + 1;
            const data = { id, status: statuses[(statuses.indexOf(status) + round) % statuses.length], version: version + round, location: { lon, lat } };
            window.wallApplyEvent({ type: 'event', seq: ++seq, kind: 'ticket.updated', data });
          }
          if (sent < n) requestAnimationFrame(frame);
          else setTimeout(() => resolve(performance.now() - t0), 2000);
        };
        requestAnimationFrame(frame);
      }),
    { n: burst, batch: burstBatch, pool },
  );
  // Let a reload of the ticket tiles started by the burst finish before measuring.
  await page.waitForTimeout(15_000);
  const heapAfter = await heapMb(cdp);
  const rssAfter = await rendererRssMb(browser);

  const out = {
    url: base,
    open_tickets_on_the_map: held,
    map_layer_json_bytes: layer.length,
    first_render_ms: loads,
    ticket_tiles_per_load: tileLoads,
    tickets_held_by_the_page_after_burst: await page.evaluate(() => window.wallTickets.size),
    memory_mb: {
      js_heap_at_start: heapAtStart,
      js_heap_after_burst: heapAfter,
      renderer_rss_at_start: rssAtStart,
      renderer_rss_after_burst: rssAfter,
      burst_events: burst,
      burst_s: Math.round(burstMs / 100) / 10,
    },
    write_to_map_ms: { n: delays.length, p50: pct(delays, 50), p90: pct(delays, 90), p99: pct(delays, 99), max: Math.max(...delays) },
  };
  console.log(JSON.stringify(out, null, 2));
} finally {
  await browser.close();
}
