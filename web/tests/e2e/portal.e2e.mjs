// Browser test of the citizens' portal on a phone-sized screen: file a report on the map with a
// contact (and consent), get a code and a tracking link, follow it; the centre and the unit handle
// the report through the API; the citizen sees the result and answers the survey (fixed, 5 stars).
// Nothing personal shows.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, check, waitFor, withServer } from './harness.mjs';

await withServer(['--demo-tickets', '0'], async ({ base, browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  const offsite = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) offsite.push(r.url());
  });
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready=true]');
  check((await page.locator('nav a').first().textContent()) === 'Gửi phản ánh', 'the portal opens in Vietnamese');

  // Sending without a spot or a category names what is missing.
  await page.fill('textarea[name=description]', 'Cống thoát nước bị tắc, nước tràn ra đường Lê Duẩn');
  await page.click('#send');
  check((await page.locator('#map.invalid').count()) === 1, 'a report without a location is refused on the page');

  await page.waitForFunction(() => window.portalMap.loaded());
  await page.locator('#map').scrollIntoViewIfNeeded();
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  check((await page.locator('#where').textContent()).includes(','), 'tapping the map sets the spot');
  const category = await page.locator('select[name=category] option').nth(1).getAttribute('value');
  await page.selectOption('select[name=category]', category);
  // A photo from the phone (an 8 × 8 PNG): the server checks it by content and re-encodes it.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGM4YaOBFTEMLQkAdntLARs7+acAAAAASUVORK5CYII=', 'base64');
  await page.setInputFiles('input[name=photos]', { name: 'cong.png', mimeType: 'image/png', buffer: png });
  await page.fill('input[name=name]', 'Trần Thị Bích');
  await page.fill('input[name=phone]', '0905777888');
  await page.click('#send');
  check((await page.locator('input[name=consent].invalid').count()) === 1, 'a contact without consent is refused');
  await page.check('input[name=consent]');
  await page.click('#send');
  await page.waitForSelector('#report-done:not([hidden])');
  const code = await page.locator('#done-code').textContent();
  const link = await page.locator('#done-link').getAttribute('href');
  check(/^DN-\d{4}-\d{6}$/.test(code) && link.includes(`#track/${code}/`), `the report is filed: ${code}, with a tracking link`);

  await page.goto(link);
  await page.waitForSelector('#ticket:not([hidden]) h2');
  check((await page.locator('#ticket .status').textContent()) === 'Đã tiếp nhận', 'the tracking link shows it received');
  // A second photo from the tracking page (how chat and SMS reporters add theirs).
  const png2 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGPQqDiBFTEMLQkAAtVaAcSRe60AAAAASUVORK5CYII=', 'base64');
  await page.setInputFiles('#add-photos input[name=add]', { name: 'cong-2.png', mimeType: 'image/png', buffer: png2 });
  await page.locator('#add-photos .notice', { hasText: 'Đã gửi ảnh' }).waitFor({ timeout: 10_000 });
  check(true, 'the tracking page takes another photo');

  // The centre assigns it; the unit accepts and resolves it.
  const staff = async (name) => {
    const c = await browser.newContext();
    const r = await c.request.post(`${base}/api/v1/session`, { data: { name, password: 'switchboard-demo' } });
    check(r.ok(), `${name} signs in`);
    return c.request;
  };
  const operator = await staff('operator');
  const list = await (await operator.get(`${base}/api/v1/tickets?limit=5`)).json();
  const found = list.items.find((t) => t.code === code);
  const ticket = await (await operator.get(`${base}/api/v1/tickets/${found.id}`)).json();
  check(ticket.reporter?.phone === '0905777888', 'the operator sees the contact');
  check(ticket.photos?.length === 2 && ticket.photos.every((x) => x.kind === 'report'), 'the operator sees the citizen’s two photos');
  const unit = ticket.suggested_unit ?? (await (await operator.get(`${base}/api/v1/units`)).json()).units[0].code;
  let r = await operator.post(`${base}/api/v1/tickets/${ticket.id}/transitions`, { data: { action: 'assign', unit } });
  check(r.ok(), `the operator assigns it to ${unit}`);
  for (const [action, extra] of [['accept', {}], ['resolve', { result: 'Đã nạo vét cống, mặt đường đã khô ráo' }]]) {
    r = await operator.post(`${base}/api/v1/tickets/${ticket.id}/transitions`, { data: { action, ...extra } });
    if (!r.ok()) {
      // Units act on their own tickets: the operator can't accept; sign in a user of that unit.
      const admin = await staff('admin');
      const name = `e2e.${unit.toLowerCase()}`;
      await admin.post(`${base}/api/v1/users`, { data: { name, role: 'agency', password: 'switchboard-demo', units: [unit] } });
      const agency = await staff(name);
      r = await agency.post(`${base}/api/v1/tickets/${ticket.id}/transitions`, { data: { action, ...extra } });
    }
    check(r.ok(), `the unit can ${action} it (${r.status()})`);
  }
  // The result photo (another picture: the same bytes would be the same photo), uploaded by the
  // operator for the unit (multipart, like the console does).
  r = await operator.post(`${base}/api/v1/tickets/${ticket.id}/photos?kind=result`, {
    multipart: { photo: { name: 'ket-qua.png', mimeType: 'image/png', buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGPQWBCAFTEMLQkAUF1GAWnpgLQAAAAASUVORK5CYII=', 'base64') } },
  });
  check(r.status() === 201, `a result photo is attached (${r.status()})`);

  await page.reload();
  await page.waitForSelector('#ticket .result');
  check((await page.locator('#ticket .result p').textContent()).includes('nạo vét'), 'the citizen sees the published result');
  const thumbs = await page.locator('#ticket .photos img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')));
  check(thumbs.length === 1 && /^\/media\/[0-9a-f]{64}\.thumb\.jpg$/.test(thumbs[0]), `the result photo is shown (${thumbs})`);
  const shown = await page.locator('main').textContent();
  check(!shown.includes('0905777888') && !shown.includes('Trần Thị Bích'), 'no personal data on the public page');

  // A resolved report asks “was it really fixed?” with its rating (survey.e2e.mjs walks the rest).
  await page.locator('#survey-form label.opt.yes').click();
  await page.locator('#survey-form .stars label').nth(4).click();
  await page.fill('#survey-form textarea', 'Xử lý nhanh, cảm ơn');
  await page.click('#survey-form button[type=submit]');
  await waitFor(async () => (await page.locator('#ticket').textContent()).includes('★★★★★'), 'the rating', 15_000);
  check(true, 'the citizen answers the survey: fixed, 5 stars');

  await page.click('#lang');
  check((await page.locator('nav a').nth(1).textContent()) === 'Track', 'the page switches to English');
  check(offsite.length === 0, `no request leaves the server (${offsite.join(', ') || 'none'})`);
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'portal.png'), fullPage: true });
});
