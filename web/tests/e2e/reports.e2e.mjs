// Browser test of the weekly report (báo cáo tuần) on the leaders' page (issue 11), on the demo
// city with its demo tickets: the Hải Châu leader opens the panel from the header; a malformed
// phone number is refused beside the field; the leader subscribes (phone, email, the weekly
// report ticked, one field, SMS without diacritics) and the server keeps it; the preview of the
// next report shows the SMS (as written and without diacritics, with their segments — at most
// 2), the email's subject and text and the key figures, the same as the API's. The server runs
// its weekly schedule at 00:00 today (`--report-schedule`), so within a minute of subscribing the
// leader's report of this week is kept: the list shows it (its period, when it went, “Tải XLSX”,
// which downloads), a click shows it; an admin's list has it too, with whose it is. The server
// names a bad email (422); the panel prints alone; the language switches. Saves
// tests/e2e/artifacts/leader-weekly.png.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, check, waitFor, withServer } from './harness.mjs';

const PASSWORD = 'switchboard-demo';

/** Today's weekday in Vietnam, as `--report-schedule` names it: the schedule's last moment is today 00:00. */
const today = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date(Date.now() + 7 * 3_600_000).getUTCDay()];

await withServer(['--demo-tickets', '400', '--report-schedule', `${today} 00:00`], async ({ base, browser }) => {
  const context = await browser.newContext({ viewport: { width: 1500, height: 950 }, timezoneId: 'Asia/Ho_Chi_Minh', locale: 'vi-VN' });
  const login = await context.request.post(`${base}/api/v1/session`, { data: { name: 'leader', password: PASSWORD } });
  check(login.ok(), 'the demo leader signs in');
  const api = async (path) => (await context.request.get(`${base}${path}`)).json();
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  const offsite = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !/^(data|blob):/.test(r.url())) offsite.push(r.url());
  });
  const panelLoads = () => page.evaluate(() => Number(document.body.dataset.weekly ?? 0));

  await page.goto(`${base}/leader?period=last_7_days`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  await waitFor(async () => (await panelLoads()) > 0, 'the weekly panel', 60_000);
  await page.click('#to-weekly');
  const panel = page.locator('#weekly');
  await waitFor(() => panel.isVisible(), 'the panel in view', 5_000);
  check((await page.locator('#h-weekly').textContent()) === 'Báo cáo tuần', 'the header’s “Báo cáo tuần” leads to the panel');

  // ---- the subscription -------------------------------------------------------------------------------
  const form = page.locator('#w-form');
  const fieldBoxes = form.locator('#w-fields input[name=fields]');
  const fields = await api('/api/v1/categories');
  check((await fieldBoxes.count()) === fields.fields.length, `the fields are the ticket fields of the page’s filters (${await fieldBoxes.count()})`);
  const firstField = fields.fields[0];
  check((await form.locator('#w-fields label').first().textContent()).includes(firstField.name_vi), `named as the filters name them (${firstField.name_vi})`);

  await form.locator('[name=phone]').fill('0905-abc');
  await form.locator('[name=weekly_report]').check();
  await form.locator('button[type=submit]').click();
  check((await form.locator('[data-err=phone]').textContent()).includes('9–12 chữ số') && (await form.locator('[name=phone]').getAttribute('aria-invalid')) === 'true', 'a malformed phone number is refused beside the field');

  await form.locator('[name=phone]').fill('0905 123 456');
  await form.locator('[name=email]').fill('lanh.dao.haichau@danang.gov.vn');
  await form.locator(`#w-fields input[value="${firstField.code}"]`).check();
  await form.locator('[name=unaccented_sms]').check();
  const before = await panelLoads();
  await form.locator('button[type=submit]').click();
  await waitFor(async () => (await page.locator('#w-saved').textContent()).includes('Đã lưu'), 'the save', 15_000);
  check((await form.locator('[name=phone]').inputValue()) === '0905123456', 'saved: the form shows the number as the server keeps it');
  const stored = await api('/api/v1/me/contact');
  check(
    stored.phone === '0905123456' && stored.email === 'lanh.dao.haichau@danang.gov.vn' && stored.weekly_report === true && stored.unaccented_sms === true && JSON.stringify(stored.fields) === JSON.stringify([firstField.code]),
    `the server has the subscription (${JSON.stringify(stored)})`,
  );

  // ---- the preview ----------------------------------------------------------------------------------------
  await waitFor(async () => (await panelLoads()) > before, 'the preview again', 30_000);
  const preview = await api('/api/v1/reports/preview');
  check(preview.id === null && preview.sms && preview.email_text, `the API previews the next report (${preview.from} – ${preview.to}, ${preview.sms_segments} SMS segments)`);
  const report = page.locator('#w-report[data-shown=preview]');
  await report.waitFor();
  const sms = (await report.locator('.w-sms[data-variant=accented] pre.sms').textContent()).trim();
  const plain = (await report.locator('.w-sms[data-variant=unaccented] pre.sms').textContent()).trim();
  check(sms.length > 0 && sms === preview.sms.trim(), `the preview shows the SMS: “${sms}”`);
  check(plain === preview.sms_unaccented.trim() && !/[àáạảãăâđèéêìíòóôơùúưỳý]/i.test(plain), `and the SMS without diacritics: “${plain}”`);
  check(preview.sms_segments <= 2 && preview.sms_unaccented_segments <= 2, `each fits in 2 SMS segments (${preview.sms_segments}, ${preview.sms_unaccented_segments})`);
  check((await report.locator('.w-sms[data-variant=unaccented] h4').textContent()).includes(`${preview.sms_unaccented_segments} tin nhắn`) && (await report.locator('.w-sms[data-variant=unaccented] .tag').count()) === 1, 'with its segments, marked as the one sent (the subscription asks for it)');
  check((await report.locator('.subject b').textContent()) === preview.email_subject, `the email’s subject: “${preview.email_subject}”`);
  const email = await report.locator('pre.email').textContent();
  check(email.trim() === preview.email_text.trim() && (await report.locator('pre.email').evaluate((e) => getComputedStyle(e).whiteSpace)) === 'pre-wrap', `and its text, pre-wrapped (${email.split('\n').length} lines)`);
  check((await report.locator('.w-figures .figure').count()) === 8, 'the key figures of the week');
  check((await report.locator('.w-meta').textContent()).includes(firstField.name_vi), 'the report covers the field chosen');

  // ---- the sent reports -------------------------------------------------------------------------------------
  // The schedule's worker looks every minute: the leader, now subscribed, gets this week's report.
  const sent = await waitFor(async () => {
    const list = await api('/api/v1/reports');
    return list.length ? list : null;
  }, 'this week’s report to be kept', 150_000);
  const newest = sent[0];
  check(newest.id && newest.user === 'leader' && newest.created_at, `the server kept the leader’s report (${newest.from} – ${newest.to})`);
  await page.click('#w-refresh');
  const items = page.locator('#w-list li[data-id]');
  await items.first().waitFor({ timeout: 15_000 });
  check((await items.count()) === sent.length && (await items.first().getAttribute('data-id')) === newest.id, `the list holds the reports sent, newest first (${sent.length})`);
  const row = await items.first().textContent();
  const day = (iso) => iso.split('-').reverse().join('/');
  check(row.includes(`${day(newest.from)} – ${day(newest.to)}`) && row.includes('Gửi lúc'), `with its period and when it went (“${row.replace(/\s+/g, ' ').trim()}”)`);
  const href = await items.first().locator('a.xlsx').getAttribute('href');
  check(href === `/api/v1/reports/${newest.id}/report.xlsx` && (await items.first().locator('a.xlsx').textContent()) === 'Tải XLSX', 'and “Tải XLSX”');
  const xlsx = await context.request.get(`${base}${href}`);
  const bytes = await xlsx.body();
  check(xlsx.ok() && bytes.subarray(0, 2).toString() === 'PK', `which downloads the workbook (${bytes.length} bytes)`);
  await items.first().locator('a[data-open]').click();
  await page.locator('#w-report[data-shown=sent]').waitFor();
  check((await page.locator('#w-report pre.email').textContent()).trim() === newest.email_text.trim() && (await page.locator('#w-report pre.sms').first().textContent()).trim() === newest.sms.trim(), 'a click shows the report sent: its SMS and email');
  await page.locator('#w-report [data-preview]').click();
  await page.locator('#w-report[data-shown=preview]').waitFor();
  check(true, 'and “Về bản xem trước” goes back to the preview');

  const admin = await browser.newContext({ viewport: { width: 1500, height: 950 }, timezoneId: 'Asia/Ho_Chi_Minh', locale: 'vi-VN' });
  check((await admin.request.post(`${base}/api/v1/session`, { data: { name: 'admin', password: PASSWORD } })).ok(), 'the admin signs in');
  const ap = await admin.newPage();
  ap.on('pageerror', (e) => console.error('page error (admin):', e.message));
  await ap.goto(`${base}/leader?period=last_7_days`);
  await ap.waitForFunction(() => Number(document.body.dataset.weekly ?? 0) > 0, null, { timeout: 60_000 });
  const theirs = ap.locator(`#w-list li[data-id="${newest.id}"]`);
  check((await theirs.count()) === 1 && (await theirs.locator('.who').textContent()).includes('(leader)'), `the admin’s list has the leader’s report, with whose it is (“${(await theirs.locator('.who').textContent()).trim()}”)`);
  await admin.close();

  // ---- the server's reasons beside the fields ---------------------------------------------------------------
  const bad = await context.request.put(`${base}/api/v1/me/contact`, { data: { phone: null, email: 'a@b', weekly_report: true, fields: [], unaccented_sms: false } });
  const problem = await bad.json();
  check(bad.status() === 422 && problem.errors?.some((e) => e.field === 'email'), `the server refuses a bad email, naming it (${bad.status()})`);

  mkdirSync(artifacts, { recursive: true });
  await panel.screenshot({ path: join(artifacts, 'leader-weekly.png') });

  // ---- print: the dashboard leaves the panel out; “In báo cáo tuần” prints the report alone ---------------------
  await page.emulateMedia({ media: 'print' });
  check(!(await panel.isVisible()) && (await page.locator('#figures').isVisible()), 'the dashboard’s print leaves the weekly report out');
  await page.evaluate(() => (document.body.dataset.print = 'weekly'));
  check((await page.locator('#w-report').isVisible()) && !(await page.locator('#figures').isVisible()) && !(await form.isVisible()), 'the weekly report prints alone');
  await page.evaluate(() => delete document.body.dataset.print);
  await page.emulateMedia({ media: 'screen' });

  await page.click('#lang');
  check((await page.locator('#h-weekly').textContent()) === 'Weekly report' && (await page.locator('#w-report h3').textContent()).startsWith('Preview of the next report'), 'the panel switches to English');
  check(offsite.length === 0, `no request leaves the server (${offsite.join(', ') || 'none'})`);
});
