// Browser test of the wall: the real server binary, a real Chromium (playwright-core, no
// downloaded browsers). Run by scripts/test.sh with SWITCHBOARD_BIN and CHROMIUM_PATH set.
//
// Starts `switchboard serve --demo` in a temp dir, signs in as the demo operator through the
// page's form, checks the districts are drawn, files a ticket through the API and waits for it
// (and its district's counter) to show on the wall — via the live feed when the server has it,
// otherwise via the wall's 30 s REST refresh. Area labels and cluster counts are MapLibre symbol
// layers drawn with glyphs the server serves itself (/fonts/…). Saves screenshots in
// tests/e2e/artifacts/ (wall.png, and wall-wards.png zoomed in to the wards).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, check, waitFor, withServer } from './harness.mjs';

await withServer([], async ({ base, browser }) => {
  const wallHtml = await (await fetch(`${base}/wall`)).text();
  check(wallHtml.includes('/assets/'), '/wall serves the built page (run `make web` first)');

  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const offsite = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) offsite.push(r.url());
  });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  const glyphs = [];
  page.on('response', (r) => {
    if (r.url().startsWith(`${base}/fonts/`)) glyphs.push({ url: decodeURIComponent(r.url().slice(base.length)), status: r.status() });
  });
  const VI = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]/i;
  const rendered = (layer) => page.evaluate((l) => window.wallMap.queryRenderedFeatures({ layers: [l] }).map((f) => f.properties), layer);

  await page.goto(`${base}/wall`);
  await page.waitForSelector('#signin-form', { state: 'visible' });
  check(true, 'the wall asks to sign in');
  await page.fill('input[name=name]', 'operator');
  await page.fill('input[name=password]', 'switchboard-demo');
  await page.click('#signin-form button[type=submit]');
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });

  const drawn = await page.evaluate(() => window.wallMap.queryRenderedFeatures({ layers: ['district-fill'] }).length);
  check(drawn > 0, `districts are drawn (${drawn} rendered district features)`);
  // Symbols are placed once their glyphs have arrived, and placement goes on over a few frames
  // (slowly on a loaded machine): wait until every district's label is placed.
  const labelledDistricts = () => page.evaluate(() => new Set(window.wallMap.querySourceFeatures('district-labels').map((f) => f.properties.code)).size);
  let labels = [];
  let districtCount = 0;
  await waitFor(async () => {
    districtCount = await labelledDistricts();
    labels = await rendered('district-label');
    return districtCount > 0 && new Set(labels.map((p) => p.code)).size === districtCount ? labels : null;
  }, 'every district label to be drawn', 30_000).catch(() => null);
  const names = labels.map((p) => p.name);
  check(names.some((n) => VI.test(n)), `district labels are drawn as map symbols, with Vietnamese diacritics (${names.join(', ')})`);
  check(districtCount > 0 && new Set(labels.map((p) => p.code)).size === districtCount, `every district is labelled (${districtCount}: ${names.join(', ')})`);
  check(labels.every((p) => Number.isInteger(p.open) && Number.isInteger(p.overdue)), 'district labels carry open/overdue counts');
  // Tickets come from the server's ticket tiles: clusters with their counts at the city's zoom,
  // and the counts with the points on screen are every ticket the wall shows.
  const clusters = await waitFor(async () => {
    const c = await rendered('ticket-cluster-count');
    return c.length ? c : null;
  }, 'ticket clusters to be drawn', 30_000);
  check(clusters.every((p) => Number.isInteger(p.count) && p.count >= 2 && p.open <= p.count), `ticket clusters show their counts (${clusters.map((p) => p.count).join(' ')})`);
  const onWall = (await (await page.request.get(`${base}/api/v1/map/tickets`)).json()).rows.length;
  const points = new Set((await rendered('ticket-points')).map((p) => p.id)).size;
  const counted = (await rendered('ticket-clusters')).reduce((n, p) => n + p.count, 0);
  check(counted + points === onWall, `the clusters count ${counted} and ${points} are points: the ${onWall} tickets of GET /api/v1/map/tickets`);
  check(glyphs.some((g) => g.url.startsWith('/fonts/Noto Sans Bold/') && g.status === 200), `glyphs come from the server (${[...new Set(glyphs.map((g) => g.url))].join(', ')})`);
  check(glyphs.some((g) => g.url.endsWith('/7680-7935.pbf') && g.status === 200), 'including the Latin Extended Additional range (ạ … ỹ)');
  check(glyphs.every((g) => g.status === 200), `every glyph range asked for is there (${glyphs.filter((g) => g.status !== 200).map((g) => `${g.url} ${g.status}`).join(', ') || 'none missing'})`);
  const kpiOpen = await page.locator('.kpi').nth(2).locator('.v').textContent();
  check(Number(kpiOpen) > 0, `the KPI strip shows open tickets (${kpiOpen})`);

  // File a ticket through the API in the middle of the first district.
  const districts = await (await fetch(`${base}/api/v1/areas?level=district`)).json();
  const categories = await (await fetch(`${base}/api/v1/categories`)).json();
  const { lon, lat, code: district, before } = await page.evaluate(() => {
    const f = window.wallMap.querySourceFeatures('districts')[0];
    const c = window.wallMap.getCenter();
    const hits = window.wallMap.queryRenderedFeatures(window.wallMap.project(c), { layers: ['district-fill'] });
    const p = (hits[0] ?? f).properties;
    return { lon: c.lng, lat: c.lat, code: p.code, before: p.total };
  });
  check(districts.features.some((d) => d.properties.code === district), `the map centre is in district ${district}`);
  const category = categories.categories[0].code;
  const res = await fetch(`${base}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `e2e-${Date.now()}` },
    body: JSON.stringify({
      category, description: 'Kiểm thử tự động: rác thải ven đường', location: { lon, lat },
      reporter: { name: 'Nguyễn Văn Kiểm', phone: '0905123456' }, consent: true,
    }),
  });
  const created = await res.json();
  check(res.status === 201, `a ticket is filed through the API (${res.status} ${created.code ?? JSON.stringify(created)})`);

  await page.waitForSelector(`#ticker li[data-id="${created.id}"]`, { timeout: 45_000 });
  check(true, `the new ticket ${created.code} appears in the ticker`);
  check((await page.locator('.pulse').count()) > 0, 'the new ticket pulses on the map');
  const after = await waitFor(
    () => page.evaluate((code) => {
      const f = window.wallMap.querySourceFeatures('districts').find((x) => x.properties.code === code);
      return f && f.properties.total;
    }, district).then((t) => (t > before ? t : 0)),
    'the district counter to change',
    45_000,
  );
  check(after === before + 1, `district ${district} total went from ${before} to ${after}`);

  await page.click(`#ticker li[data-id="${created.id}"]`);
  await page.waitForSelector('#panel:not([hidden]) h2');
  check((await page.locator('#panel h2').textContent()) === created.code, 'clicking the ticket opens its detail panel');

  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'wall.png') });
  console.log(`screenshot: ${join(artifacts, 'wall.png')}`);

  // Zoomed in (on the city centre, Hải Châu, when the demo city has it), the wards are labelled too.
  await page.click('#panel .close');
  await page.evaluate(() => {
    const centre = window.wallMap.querySourceFeatures('district-labels').find((f) => f.properties.name === 'Hải Châu');
    window.wallMap.jumpTo({ center: centre?.geometry.coordinates ?? window.wallMap.getCenter(), zoom: 13.5 });
  });
  const wards = await waitFor(async () => {
    const w = await rendered('ward-label');
    return w.length ? w : null;
  }, 'ward labels to be drawn', 20_000);
  check(wards.some((p) => VI.test(p.name)), `ward labels are drawn when zoomed in (${wards.map((p) => p.name).join(', ')})`);
  const zoomedPoints = await waitFor(async () => {
    const p = await rendered('ticket-points');
    return p.length ? p : null;
  }, 'ticket points to be drawn when zoomed in', 20_000);
  check(zoomedPoints.every((p) => typeof p.id === 'string' && typeof p.status === 'string'), `zoomed in, the clusters open into ticket points (${zoomedPoints.length})`);
  await page.click('.maplibregl-canvas', { position: await page.evaluate((id) => {
    const f = window.wallMap.queryRenderedFeatures({ layers: ['ticket-points'] }).find((x) => x.properties.id === id);
    const p = window.wallMap.project(f.geometry.coordinates);
    return { x: p.x, y: p.y };
  }, zoomedPoints[0].id) });
  await waitFor(async () => ((await page.locator('#panel:not([hidden]) h2').textContent()) ?? '').startsWith('DN') || null, 'the clicked ticket’s panel', 15_000);
  check(true, `clicking a ticket point opens its panel with its code (${await page.locator('#panel h2').textContent()})`);
  await page.screenshot({ path: join(artifacts, 'wall-wards.png') });
  console.log(`screenshot: ${join(artifacts, 'wall-wards.png')}`);

  check(offsite.length === 0, `no request leaves the server (${offsite.join(', ') || 'none'})`);
});
