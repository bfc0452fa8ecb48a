// Browser test of the cameras on the wall: the real server (`serve --demo`, which starts camsim
// in-process and loads the 22 demo cameras), a real Chromium.
//
// Signs in as the demo operator, waits for the camera icons and for the health checker to
// colour them online, checks the field-of-view cones are drawn, clicks the Dragon Bridge camera
// and sees camsim's frames move in the panel (through the proxy only: the page never learns a
// camera's address), adds it to the grid (kept across a reload), and finds it under "cameras
// near this ticket" for a ticket filed at the bridge. The public gets a 401 from the proxy.
// Saves tests/e2e/artifacts/wall-cameras.png.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, check, waitFor, withServer } from './harness.mjs';

const CAM = 'DN-CAM-001';

await withServer(['--demo-tickets', '200', '--camera-check-interval', '1'], async ({ base, browser }) => {
  const anonymous = await fetch(`${base}/api/v1/cameras/${CAM}/stream`);
  check(anonymous.status === 401, `the proxy turns the public away (${anonymous.status})`);

  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const offsite = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) offsite.push(r.url());
  });
  page.on('pageerror', (e) => console.error('page error:', e.message));

  await page.goto(`${base}/wall`);
  await page.waitForSelector('#signin-form', { state: 'visible' });
  await page.fill('input[name=name]', 'operator');
  await page.fill('input[name=password]', 'switchboard-demo');
  await page.click('#signin-form button[type=submit]');
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });

  const icons = await waitFor(async () => {
    const n = await page.locator('.camera-marker').count();
    return n >= 20 ? n : 0;
  }, 'the camera icons', 20_000);
  check(true, `camera icons are on the wall (${icons})`);
  await page.waitForSelector(`.camera-marker[data-code="${CAM}"][data-status=online]`, { timeout: 30_000 });
  const colour = await page.locator(`.camera-marker[data-code="${CAM}"]`).evaluate((el) => getComputedStyle(el).backgroundColor);
  check(colour === 'rgb(34, 197, 94)', `an online camera is green (${colour}), coloured live by the health checker`);

  // Zoomed in on the Dragon Bridge, the cones are drawn, coloured like their cameras.
  await page.evaluate(() => window.wallMap.jumpTo({ center: [108.2269, 16.0611], zoom: 16 }));
  const cones = await waitFor(async () => {
    const c = await page.evaluate(() => window.wallMap.queryRenderedFeatures({ layers: ['camera-cones'] }).map((f) => f.properties));
    return c.length ? c : null;
  }, 'field-of-view cones', 20_000);
  check(cones.some((p) => p.code === CAM), `field-of-view cones are drawn (${[...new Set(cones.map((p) => p.code))].join(', ')})`);

  // The planning overlay, off at first, comes from the planning vector tiles when toggled on.
  const zones = () => page.evaluate(() => window.wallMap.queryRenderedFeatures({ layers: ['planning-zones'] }).map((f) => f.properties));
  check((await zones()).length === 0, 'the planning overlay starts hidden');
  await page.click('#planning-toggle');
  const shown = await waitFor(async () => {
    const z = await zones();
    return z.length ? z : null;
  }, 'planning zones', 20_000);
  const uses = [...new Set(shown.map((p) => p.land_use))];
  check(uses.includes('water') && shown.some((p) => p.name === 'Sông Hàn'), `the planning layer shows the zones around the bridge (${uses.join(', ')})`);
  await page.click('#planning-toggle');
  await waitFor(async () => (await zones()).length === 0, 'the overlay to hide', 10_000);
  check(true, 'and the toggle hides it again');

  await page.locator(`.camera-marker[data-code="${CAM}"]`).click();
  await page.waitForSelector('#camera-panel:not([hidden]) img.camera-video');
  const title = await page.locator('#camera-panel h2').textContent();
  check(title.includes('Cầu Rồng'), `clicking the camera opens its panel (${title})`);
  const src = await page.locator('#camera-panel img.camera-video').getAttribute('src');
  check(src === `/api/v1/cameras/${CAM}/stream`, `the video comes through the proxy (${src})`);

  // Two looks at the <img> a moment apart: camsim's moving bar and clock change the pixels.
  const look = () =>
    page.evaluate(() => {
      const img = document.querySelector('#camera-panel img.camera-video');
      if (!img || !img.naturalWidth) return null;
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      return Array.from(g.getImageData(0, 0, c.width, c.height).data.filter((_, i) => i % 97 === 0)).join(',');
    });
  const first = await waitFor(look, 'the first camera frame', 20_000);
  const later = await waitFor(async () => {
    const l = await look();
    return l && l !== first ? l : null;
  }, 'a later, different frame', 20_000);
  check(first !== later, 'the panel shows live frames from camsim (the picture moves)');

  await page.click('#camera-panel .add');
  await page.waitForSelector(`#camera-grid .tile[data-code="${CAM}"] img.camera-video`);
  check(true, 'the camera is added to the grid');
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'wall-cameras.png') });
  console.log(`screenshot: ${join(artifacts, 'wall-cameras.png')}`);
  await page.click('#camera-panel .close');
  check(await page.locator('#camera-panel').isHidden(), 'the camera panel closes');

  // A ticket filed at the bridge lists the camera among "cameras near this ticket".
  const categories = await (await fetch(`${base}/api/v1/categories`)).json();
  const res = await fetch(`${base}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `e2e-cam-${Date.now()}` },
    body: JSON.stringify({
      category: categories.categories[0].code, description: 'Kiểm thử: ùn tắc đầu cầu Rồng',
      location: { lon: 108.2240, lat: 16.0613 }, reporter: { name: 'Trần Thị Kiểm', phone: '0905000111' }, consent: true,
    }),
  });
  const ticket = await res.json();
  check(res.status === 201, `a ticket is filed at the bridge (${ticket.code})`);
  await page.waitForSelector(`#ticker li[data-id="${ticket.id}"]`, { timeout: 45_000 });
  await page.click(`#ticker li[data-id="${ticket.id}"]`);
  await page.waitForSelector(`#panel .near li[data-code="${CAM}"]`, { timeout: 20_000 });
  // The panel is drawn again when the ticket's events arrive, its cameras a moment later: read
  // the list once it is there rather than at one instant.
  const near = await waitFor(async () => {
    const items = await page.locator('#panel .near li').allTextContents();
    return items.length >= 1 ? items : null;
  }, 'the cameras near the ticket', 20_000);
  check(near.length >= 1, `the ticket panel lists cameras near it (${near.join(' | ')})`);
  await page.click(`#panel .near li[data-code="${CAM}"]`);
  await page.waitForSelector('#camera-panel:not([hidden]) img.camera-video');
  check(true, 'a near camera opens from the ticket panel');

  await page.reload();
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  await page.waitForSelector(`#camera-grid .tile[data-code="${CAM}"]`, { timeout: 20_000 });
  check(true, 'the grid is kept across a reload');

  const html = await page.content();
  check(!/127\.0\.0\.1:\d+\/cam\//.test(html), 'no camera source URL reaches the page');
  check(offsite.length === 0, `no request leaves the server (${offsite.join(', ') || 'none'})`);
});
