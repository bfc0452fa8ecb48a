// Browser test of the planning map on a phone-sized screen: a citizen opens it from the portal,
// taps a spot of housing and reads the zone's limits in Vietnamese, switches to English, hides
// housing with its legend toggle, and finds a place by name. Nothing loads from elsewhere.

import { check, waitFor, withServer } from './harness.mjs';

await withServer(['--demo-tickets', '0'], async ({ base, browser }) => {
  // A spot well inside one housing zone, found through the public API.
  const zones = await (await fetch(`${base}/api/v1/planning/zones`)).json();
  check(zones.features.length > 300, `the demo plan has ${zones.features.length} zones`);
  let spot = null;
  for (const f of zones.features.filter((z) => z.properties.land_use === 'residential')) {
    const ring = f.geometry.coordinates[0][0].slice(0, -1);
    const lon = ring.reduce((s, p) => s + p[0], 0) / ring.length;
    const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length;
    const at = await (await fetch(`${base}/api/v1/planning/at?lon=${lon}&lat=${lat}`)).json();
    if (at.zones.length === 1 && at.zones[0].id === f.properties.id && !at.zones[0].on_boundary) {
      spot = { lon, lat, zone: at.zones[0] };
      break;
    }
  }
  check(spot, `a spot inside housing zone ${spot?.zone.code}`);

  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  const offsite = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) offsite.push(r.url());
  });

  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready=true]');
  await page.click('nav a[href="/planning"]');
  await page.waitForSelector('body[data-ready=true]');
  check((await page.locator('h1').textContent()) === 'Bản đồ quy hoạch', 'the portal links to the planning map, in Vietnamese');
  check((await page.locator('#legend li').count()) === 8, 'the legend lists the 8 land-use kinds');
  check((await page.locator('#legend').textContent()).includes('Đất cây xanh'), 'with Vietnamese labels');

  await page.waitForFunction(() => window.planningMap.loaded() && window.planningMap.isSourceLoaded('planning'));
  await page.evaluate(([lon, lat]) => window.planningMap.jumpTo({ center: [lon, lat], zoom: 15.5 }), [spot.lon, spot.lat]);
  await page.waitForFunction(() => window.planningMap.loaded() && !window.planningMap.isMoving());
  await page.locator('#map').scrollIntoViewIfNeeded();
  const pixel = await page.evaluate(([lon, lat]) => {
    const p = window.planningMap.project([lon, lat]);
    return { x: p.x, y: p.y };
  }, [spot.lon, spot.lat]);
  const rendered = () =>
    page.evaluate((p) => window.planningMap.queryRenderedFeatures([p.x, p.y], { layers: ['zone-fill'] }).map((f) => f.properties.land_use), pixel);
  await waitFor(async () => (await rendered()).length === 1, 'the zone to be drawn', 20_000);
  check((await rendered())[0] === 'residential', 'the housing zone is drawn under the spot');

  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + pixel.x, box.y + pixel.y);
  await page.waitForSelector(`#details .zone[data-zone="${spot.zone.id}"]`);
  const vi = await page.locator('#details').textContent();
  check(vi.includes('Đất ở') && vi.includes('Mã khu') && vi.includes(spot.zone.code), 'tapping the map shows the zone in Vietnamese');
  check(vi.includes('Chiều cao tối đa') && vi.includes('Hệ số sử dụng đất') && vi.includes(spot.zone.decision_number), 'with its limits and decision');
  const date = spot.zone.decision_date.split('-').reverse().join('/');
  check(vi.includes(date), `the decision date is written ${date}`);

  await page.click('#lang');
  const en = await page.locator('#details').textContent();
  check(en.includes('Residential') && en.includes('Zone code') && en.includes('Maximum height'), 'switching to English translates the details');
  check((await page.locator('#legend').textContent()).includes('Green space'), 'and the legend');
  await page.click('#lang');

  await page.uncheck('#legend input[data-use="residential"]');
  await waitFor(async () => (await rendered()).length === 0, 'housing to disappear', 10_000);
  check(true, 'unticking housing in the legend hides its zones');
  check((await page.locator('#details .zone').count()) === 0, 'and its details');
  await page.check('#legend input[data-use="residential"]');
  await waitFor(async () => (await rendered()).length === 1, 'housing to come back', 10_000);
  check(true, 'ticking it again shows them');

  await page.fill('#q', 'cau rong');
  await page.waitForSelector('#hits li[data-i]');
  check((await page.locator('#hits li[data-i]').first().textContent()).includes('Cầu Rồng'), 'the place search finds Cầu Rồng without diacritics');
  const before = await page.locator('body').getAttribute('data-picked');
  await page.locator('#hits li[data-i]').first().click();
  await waitFor(async () => (await page.locator('body').getAttribute('data-picked')) !== before, 'the zones at the place', 10_000);
  const centre = await page.evaluate(() => window.planningMap.getCenter());
  await waitFor(async () => {
    const c = await page.evaluate(() => window.planningMap.getCenter());
    return Math.abs(c.lng - 108.2272) < 0.002 && Math.abs(c.lat - 16.0612) < 0.002;
  }, `the map to fly to the bridge (from ${centre.lng},${centre.lat})`, 10_000);
  check((await page.locator('#details h2').textContent()) === 'Quy hoạch tại vị trí đã chọn', 'choosing it shows what is planned there');

  check(offsite.length === 0, `nothing loads from elsewhere (${offsite.join(', ')})`);
});
