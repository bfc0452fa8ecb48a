// Browser test of the wall's live colours, on a demo city with no tickets yet: every district is
// grey (nothing open) and the KPI strip says 0 open. Filing one ticket through the API turns its
// district green (0 % of its open tickets overdue) and the KPI strip's "open" to 1 — through the
// live feed (events and the `kpis` topic), without a reload.

import { check, waitFor, withServer } from './harness.mjs';

await withServer(['--demo-tickets', '0'], async ({ base, browser }) => {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const login = await context.request.post(`${base}/api/v1/session`, { data: { name: 'operator', password: 'switchboard-demo' } });
  check(login.ok(), 'the operator signs in');
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${base}/wall`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('#live')?.dataset.state === 'live', null, { timeout: 30_000 });

  const district = await page.evaluate(() => {
    const c = window.wallMap.getCenter();
    const f = window.wallMap.queryRenderedFeatures(window.wallMap.project(c), { layers: ['district-fill'] })[0];
    return { code: f.properties.code, health: f.properties.health, colour: String(f.layer.paint['fill-color']), lon: c.lng, lat: c.lat };
  });
  check(district.health === 'none', `district ${district.code} starts grey: nothing open (${district.health}, ${district.colour})`);
  const openCell = () => page.locator('.kpi').nth(2).locator('.v').textContent();
  check((await openCell()) === '0', 'the KPI strip starts at 0 open');

  const categories = await (await context.request.get(`${base}/api/v1/categories`)).json();
  const r = await context.request.post(`${base}/api/v1/tickets`, {
    headers: { 'idempotency-key': `colour-${Date.now()}` },
    data: { category: categories.categories[0].code, description: 'Kiểm thử màu', location: { lon: district.lon, lat: district.lat } },
  });
  check(r.status() === 201, 'a ticket is filed in it through the API');

  const after = await waitFor(
    () => page.evaluate((code) => {
      const f = window.wallMap.queryRenderedFeatures({ layers: ['district-fill'] }).find((x) => x.properties.code === code);
      return f && f.properties.health !== 'none' ? { health: f.properties.health, colour: String(f.layer.paint['fill-color']) } : null;
    }, district.code),
    'the district to change colour',
    30_000,
  );
  check(after.health === 'good' && after.colour !== district.colour, `district ${district.code} turns green (${after.health}, ${after.colour})`);
  await waitFor(async () => (await openCell()) === '1', 'the KPI strip to show 1 open (kpis topic)', 30_000);
  check(true, 'the KPI strip shows 1 open without a reload');
});
