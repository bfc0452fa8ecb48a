// Browser test of the survey on the portal's tracking page (issue 11): two reports are filed and
// resolved through the API; on a phone, the tracking link of a resolved report shows the survey
// instead of the plain rating. The form refuses to send without an answer to “was it fixed?”, and
// a “fixed” answer without stars; “not fixed” makes the stars optional and asks what is still
// wrong; sent, the report is reopened and the page says so. On the second report the citizen
// answers “fixed” with 4 stars: the rating shows and the survey is gone. The API refuses a second
// answer (409) and a “fixed” answer without a rating (422 naming `rating`).
// Saves tests/e2e/artifacts/portal-survey.png and portal-survey-reopened.png.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, check, waitFor, withServer } from './harness.mjs';

const PASSWORD = 'switchboard-demo';

await withServer(['--demo-tickets', '0'], async ({ base, browser }) => {
  const staff = async (name) => {
    const c = await browser.newContext();
    const r = await c.request.post(`${base}/api/v1/session`, { data: { name, password: PASSWORD } });
    check(r.ok(), `${name} signs in`);
    return c.request;
  };
  const operator = await staff('operator');
  const admin = await staff('admin');
  const categories = await (await operator.get(`${base}/api/v1/categories`)).json();
  const agencies = new Map();
  /** The unit's own staff (the operator can't accept for a unit): made once per unit. */
  const agencyOf = async (unit) => {
    if (!agencies.has(unit)) {
      const name = `e2e.survey.${unit.toLowerCase()}`;
      await admin.post(`${base}/api/v1/users`, { data: { name, role: 'agency', password: PASSWORD, units: [unit] } });
      agencies.set(unit, await staff(name));
    }
    return agencies.get(unit);
  };
  /** Files a report in Hải Châu (as a citizen: no session) and has it assigned, accepted and resolved. */
  const resolvedReport = async (description, result) => {
    const filed = await fetch(`${base}/api/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `survey-e2e-${Date.now()}-${Math.random()}` },
      body: JSON.stringify({ category: categories.categories[0].code, description, location: { lon: 108.2243, lat: 16.0681 } }),
    });
    check(filed.status === 201, `a citizen files a report (${filed.status})`);
    const created = await filed.json();
    const ticket = await (await operator.get(`${base}/api/v1/tickets/${created.id}`)).json();
    const unit = ticket.suggested_unit ?? (await (await operator.get(`${base}/api/v1/units`)).json())[0].code;
    let r = await operator.post(`${base}/api/v1/tickets/${created.id}/transitions`, { data: { action: 'assign', unit } });
    check(r.ok(), `the operator assigns ${created.code} to ${unit}`);
    const agency = await agencyOf(unit);
    for (const [action, extra] of [['accept', {}], ['resolve', { result }]]) {
      r = await agency.post(`${base}/api/v1/tickets/${created.id}/transitions`, { data: { action, ...extra } });
      check(r.ok(), `the unit can ${action} it (${r.status()})`);
    }
    return { code: created.code, token: created.tracking_token, link: `${base}/#track/${created.code}/${created.tracking_token}` };
  };

  const first = await resolvedReport('Cống thoát nước trước nhà số 12 Lê Duẩn bị tắc', 'Đã nạo vét cống thoát nước');
  const second = await resolvedReport('Đèn đường trước chợ Hàn bị hỏng', 'Đã thay bóng đèn mới');

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await phone.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  const offsite = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !/^(data|blob):/.test(r.url())) offsite.push(r.url());
  });

  // ---- a resolved report offers the survey ------------------------------------------------------------
  await page.goto(first.link);
  const form = page.locator('#survey-form');
  await form.waitFor({ timeout: 20_000 });
  check((await page.locator('#ticket .status').textContent()) === 'Đã xử lý', 'the tracking link shows the report resolved');
  check((await page.locator('#rate-form').count()) === 0, 'the survey replaces the plain rating form');
  const shown = await form.textContent();
  check(shown.includes('Sự việc đã được khắc phục chưa?') && shown.includes('Đã khắc phục') && shown.includes('Chưa khắc phục'), 'it asks “Sự việc đã được khắc phục chưa?” with “Đã khắc phục” and “Chưa khắc phục”');
  check((await form.locator('.stars input[name=rating]').count()) === 5 && (await form.locator('.stars input[value="5"]').getAttribute('aria-label')).includes('Rất hài lòng'), 'a rating of 1 to 5 stars, 5 being “Rất hài lòng”');

  // ---- the checks before sending ---------------------------------------------------------------------------
  await form.locator('button[type=submit]').click();
  check((await form.locator('fieldset[data-field=fixed].invalid').count()) === 1 && (await form.locator('.survey-error').textContent()).includes('khắc phục'), 'without an answer, the form asks whether it was fixed');
  await form.locator('label.opt.yes').click();
  await form.locator('button[type=submit]').click();
  check((await form.locator('fieldset[data-field=rating].invalid').count()) === 1 && (await form.locator('.survey-error').textContent()).includes('1 đến 5 sao'), '“fixed” without stars is refused: the rating is required');
  check(await form.locator('.optional').isHidden(), 'when fixed, the rating is not marked optional');

  // ---- “not fixed”: the stars optional, what is still wrong, the report reopened ------------------------------
  await form.locator('label.opt.no').click();
  check(await form.locator('.optional').isVisible(), 'when not fixed, the rating is optional');
  check((await form.locator('.comment-label').textContent()) === 'Điều gì vẫn chưa được khắc phục?', 'and the comment asks what is still wrong');
  const wrong = 'Cống vẫn tắc, mưa tối qua nước lại tràn ra đường';
  await form.locator('textarea[name=comment]').fill(wrong);
  check((await form.locator('.count').textContent()).startsWith(`${[...wrong].length} / 2000`), `the comment counts its characters (${await form.locator('.count').textContent()})`);
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'portal-survey.png'), fullPage: true });
  await form.locator('button[type=submit]').click();
  await page.locator('#ticket .reopened').waitFor({ timeout: 15_000 });
  check((await page.locator('#ticket .reopened').textContent()).includes('Phản ánh đã được mở lại để tiếp tục xử lý'), 'sent, the page says “Phản ánh đã được mở lại để tiếp tục xử lý”');
  const status = await page.locator('#ticket .status').textContent();
  check(['Đã tiếp nhận', 'Đã chuyển đơn vị xử lý'].includes(status), `the report is being handled again (${status})`);
  check((await page.locator('#survey-form, #rate-form').count()) === 0, 'and offers no survey any more');
  check((await page.locator('#ticket .timeline').textContent()).includes('Mở lại'), 'its progress shows the reopening');
  const tracked = await (await fetch(`${base}/api/v1/track/${first.code}?token=${first.token}`)).json();
  check(['assigned', 'received'].includes(tracked.status), `the server has it ${tracked.status}`);
  await page.reload();
  await page.locator('#ticket .reopened').waitFor({ timeout: 15_000 });
  check(true, 'the tracking link still says it was reopened after a reload');
  await page.screenshot({ path: join(artifacts, 'portal-survey-reopened.png'), fullPage: true });

  // ---- the API: answered once; “fixed” needs a rating --------------------------------------------------
  const post = (code, body) => fetch(`${base}/api/v1/track/${code}/survey`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  let r = await post(first.code, { token: first.token, fixed: true, rating: 5 });
  check(r.status === 409, `a second answer is refused (${r.status})`);
  r = await post(second.code, { token: second.token, fixed: true });
  const problem = await r.json();
  check(r.status === 422 && problem.errors?.some((e) => e.field === 'rating'), `“fixed” without a rating is refused, naming the rating (${r.status} ${JSON.stringify(problem.errors)})`);

  // ---- “fixed”, 4 stars: the rating shows ------------------------------------------------------------------
  await page.goto(second.link);
  await form.waitFor({ timeout: 20_000 });
  await form.locator('label.opt.yes').click();
  await form.locator('.stars label').nth(3).click();
  check((await form.locator('.level').textContent()) === '4 — Hài lòng', 'four stars read “Hài lòng”');
  await form.locator('textarea[name=comment]').fill('Đèn đã sáng lại, cảm ơn');
  await form.locator('button[type=submit]').click();
  await waitFor(async () => (await page.locator('#ticket').textContent()).includes('★★★★☆'), 'the rating', 15_000);
  check((await page.locator('#survey-form').count()) === 0 && (await page.locator('#ticket .notice').textContent()).includes('Cảm ơn'), 'answered “fixed” with 4 stars: the rating shows, with thanks, and the survey is gone');
  check((await page.locator('#ticket .reopened').count()) === 0, 'the report is not reopened');

  await page.click('#lang');
  check((await page.locator('#ticket .notice').textContent()) === 'Thank you for your answer.', 'the page switches to English');
  check(offsite.length === 0, `no request leaves the server (${offsite.join(', ') || 'none'})`);
});
