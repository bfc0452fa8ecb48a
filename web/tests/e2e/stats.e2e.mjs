// Browser test of the public figures page (/stats), on the demo city, with nobody signed in: the
// city's headline figures and every district's, unit's and field's figures on the page equal
// those of GET /api/v1/public/stats for the period shown; a unit with fewer than 5 reports shows
// "—" with the reason; the charts are drawn; the period picker (a named period, then two days)
// keeps the period in the URL and the figures follow; the CSV link downloads a file with a
// byte-order mark that names Hải Châu; the page switches to English; no request leaves the
// server. Saves tests/e2e/artifacts/stats.png.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, check, waitFor, withServer } from './harness.mjs';

await withServer(['--demo-tickets', '300'], async ({ base, browser }) => {
  const html = await (await fetch(`${base}/stats`)).text();
  check(html.includes('/assets/'), '/stats serves the built page (run `make web` first)');

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Ho_Chi_Minh', locale: 'vi-VN', acceptDownloads: true });
  const page = await context.newPage();
  const offsite = [];
  const refused = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !/^(data|blob):/.test(r.url())) offsite.push(r.url());
  });
  page.on('response', (r) => {
    if (r.status() === 401 || r.status() === 403) refused.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => console.error('page error:', e.message));

  const loads = () => page.evaluate(() => Number(document.body.dataset.loads ?? 0));
  const settled = (before, what) => waitFor(async () => (await loads()) > before && !(await page.evaluate(() => document.body.dataset.loading)), what, 30_000);
  /** `1.234` → 1234; `82,4%` → 82.4; `3,54 / 5` → 3.54; `—` → null. */
  const num = (text) => {
    const t = text.trim();
    if (t === '—') return null;
    return Number(t.replace(/ \/ 5$/, '').replace(/%$/, '').replace(/\./g, '').replace(',', '.'));
  };
  /** The period the page shows, from its CSV link (the page asks the API for the same days). */
  const shownPeriod = async () => {
    const href = await page.locator('#csv').getAttribute('href');
    const q = new URL(href, base).searchParams;
    return { href, from: q.get('from'), to: q.get('to') };
  };
  const apiFor = async ({ from, to }) => (await context.request.get(`${base}/api/v1/public/stats?from=${from}&to=${to}`)).json();

  /** Every figure of the page against the API's answer for the same period. */
  const sameFigures = async (api, what) => {
    const close = (page, want, kind) => {
      if (want === null || want === undefined) return page === null;
      if (kind === 'rate') return page !== null && Math.abs(page - want * 100) <= 0.051;
      if (kind === 'rating') return page !== null && Math.abs(page - want) <= 0.0051;
      if (kind === 'index') return page !== null && Math.abs(page - want) <= 0.051;
      return page === want;
    };
    const kinds = { received: 'count', resolved: 'count', on_time_rate: 'rate', rating_mean: 'rating', satisfaction_index: 'index' };
    const bad = [];
    for (const [key, kind] of Object.entries(kinds)) {
      const shown = num(await page.locator(`#figures [data-figure=${key}] .value`).textContent());
      if (!close(shown, api.city[key], kind)) bad.push(`city ${key}: page ${shown}, API ${api.city[key]}`);
    }
    const tables = { districts: '#t-districts', units: '#t-units', fields: '#t-fields' };
    for (const [table, sel] of Object.entries(tables)) {
      // One read of the whole table (hundreds of cells one by one would be slow).
      const cells = await page.locator(`${sel} tbody tr[data-code]`).evaluateAll((trs) =>
        Object.fromEntries(trs.map((tr) => [tr.dataset.code, Object.fromEntries([...tr.querySelectorAll('td[data-col]')].map((td) => [td.dataset.col, td.textContent]))])),
      );
      if (Object.keys(cells).length !== api[table].length) bad.push(`${table}: ${Object.keys(cells).length} rows on the page, ${api[table].length} in the API`);
      for (const r of api[table]) {
        const row = cells[r.code];
        if (!row) {
          bad.push(`${table} ${r.code}: not on the page`);
          continue;
        }
        for (const [key, kind] of Object.entries(kinds)) {
          if (!(key in row)) continue; // fields have no satisfaction index
          if (!close(num(row[key]), r[key], kind)) bad.push(`${table} ${r.code} ${key}: page ${row[key]}, API ${r[key]}`);
        }
      }
    }
    check(bad.length === 0, `${what}: the city's, districts', units' and fields' figures on the page equal the API's${bad.length ? ` (${bad.slice(0, 5).join('; ')})` : ''}`);
  };

  // ---- the default period: the last 30 days ------------------------------------------------------
  await page.goto(`${base}/stats`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  await settled(0, 'the figures');
  check(!(await page.locator('#signin').count()) && refused.length === 0, 'the page opens without signing in');
  check((await page.locator('h1').textContent()).includes('Số liệu công khai') && (await page.evaluate(() => document.documentElement.lang)) === 'vi', 'in Vietnamese');
  let p = await shownPeriod();
  const api30 = await apiFor(p);
  check(api30.from === p.from && api30.to === p.to, `the last 30 days: ${p.from} – ${p.to}`);
  check((await page.locator('#range').textContent()).startsWith('30 ngày qua:'), `the period is written out (${await page.locator('#range').textContent()})`);
  check(api30.city.received > 0 && num(await page.locator('#figures [data-figure=received] .value').textContent()) === api30.city.received, `the city received ${api30.city.received} reports`);
  await sameFigures(api30, 'the last 30 days');

  // A group of fewer than 5: "—", with the reason, and the note that says it in full.
  const hidden = api30.units.find((u) => u.suppressed);
  check(hidden !== undefined, `the API suppresses a unit with fewer than 5 reports (${hidden?.code})`);
  const hiddenRow = page.locator(`#t-units tr[data-code="${hidden.code}"]`);
  const hiddenCells = await hiddenRow.locator('td').allTextContents();
  check(hiddenCells.length === 5 && hiddenCells.every((c) => c === '—'), `its row shows "—" in every figure (${(await hiddenRow.locator('th').textContent()).trim()}: ${hiddenCells.join(' ')})`);
  const why = await hiddenRow.locator('td abbr').first().getAttribute('title');
  check(why.includes('Dưới 5 phản ánh: không công bố để bảo vệ người dân'), `with the reason as its title (“${why}”)`);
  check((await page.locator('#suppressed-note').textContent()).includes('dưới 5 phản ánh: không công bố để bảo vệ người dân'), 'the note under the figures explains "—"');
  check((await page.locator('#t-districts tbody tr[data-code="DN-HC"] th').textContent()).includes('Hải Châu'), 'the districts’ table names Hải Châu');

  await waitFor(() => page.evaluate(() => ['c-districts', 'c-fields', 'c-weeks'].every((id) => document.querySelector(`#${id} canvas`))), 'the charts', 20_000);
  const label = await page.locator('#c-districts').getAttribute('aria-label');
  check(label.includes('Hải Châu') && (await page.locator('#c-districts').getAttribute('role')) === 'img', `the charts are drawn, each with a text summary (“${label.slice(0, 60)}…”)`);
  check((await page.locator('#t-weeks tbody tr').count()) === api30.weeks.length, `the weekly trend has its ${api30.weeks.length} weeks as a table too`);
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'stats.png'), fullPage: true });

  // ---- the CSV ------------------------------------------------------------------------------------------
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#csv').click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  check(csv.charCodeAt(0) === 0xfeff && csv.includes('Hải Châu'), `the CSV link downloads ${download.suggestedFilename()}: a byte-order mark, and Hải Châu`);
  check(p.href === `/api/v1/public/stats.csv?from=${p.from}&to=${p.to}`, `for the same period (${p.href})`);

  // ---- another period, kept in the URL -----------------------------------------------------------------
  let before = await loads();
  await page.selectOption('#period', 'last_month');
  await settled(before, 'last month’s figures');
  check(page.url().endsWith('/stats?period=last_month'), `the period is kept in the URL (${page.url().slice(base.length)})`);
  p = await shownPeriod();
  check(p.from.endsWith('-01') && p.from < api30.to, `last month: ${p.from} – ${p.to}`);
  await sameFigures(await apiFor(p), 'last month');
  await page.reload();
  await page.waitForSelector('body[data-ready=true]');
  check((await page.locator('#period').inputValue()) === 'last_month', 'a reload shows the same period');

  // Two days of one's own: the week before the last one.
  before = await loads();
  await page.selectOption('#period', 'custom');
  const to = api30.to;
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
  await page.fill('#from', from);
  await page.fill('#to', to);
  await page.click('#apply');
  await settled(before, 'the custom period');
  check(page.url().endsWith(`/stats?from=${from}&to=${to}`), `a custom period goes to the URL (${page.url().slice(base.length)})`);
  const week = await apiFor({ from, to });
  await sameFigures(week, `${from} – ${to}`);
  check(num(await page.locator('#figures [data-figure=received] .value').textContent()) <= api30.city.received, 'the last 7 days count part of the last 30');
  before = await loads();
  await page.goBack();
  await settled(before, 'back to last month');
  check((await page.locator('#period').inputValue()) === 'last_month', 'the browser’s back button returns to the period before');

  // ---- English ---------------------------------------------------------------------------------------------
  await page.click('#lang');
  check((await page.locator('#figures [data-figure=received] .label').textContent()) === 'Reports received' && (await page.evaluate(() => document.documentElement.lang)) === 'en', 'the page switches to English');
  check((await page.locator('#suppressed-note').textContent()).includes('fewer than 5 reports: not published to protect privacy'), 'the note too');
  await page.click('#lang');
  check((await page.locator('#figures [data-figure=received] .label').textContent()) === 'Phản ánh tiếp nhận', 'and back to Vietnamese');

  check(refused.length === 0, `no request is refused for want of a session (${refused.join(', ') || 'none'})`);
  check(offsite.length === 0, `no request leaves the server (${offsite.join(', ') || 'none'})`);
  console.log(`screenshot: ${join(artifacts, 'stats.png')}`);
});
