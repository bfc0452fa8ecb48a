// The whole way of one report, every step in a browser, as the issue has it: a citizen files it on
// the portal from a phone with a photo; the operator finds it in the console's triage queue (with the
// photo), forwards it to UBND quận Hải Châu; the unit's staff accept it and resolve it with a result
// photo in their console; the citizen sees the result and its photo on the tracking page and rates
// it 2 stars, which reopens it: the report goes back to the unit's queue, live.

import { act, desk, status } from './desk.mjs';
import { artifacts, check, waitFor, withServer } from './harness.mjs';

const UNIT = 'DN-HC-UBND';
// Two different 8 × 8 PNGs (the same bytes would be the same photo).
const REPORT_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGM4YaOBFTEMLQkAdntLARs7+acAAAAASUVORK5CYII=';
const RESULT_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGPQWBCAFTEMLQkAUF1GAWnpgLQAAAAASUVORK5CYII=';

await withServer(['--demo-tickets', '30'], async ({ base, browser }) => {
  // ---- the citizen, on a phone ----------------------------------------------------------------
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'vi-VN' });
  const portal = await phone.newPage();
  portal.on('pageerror', (e) => console.error('page error (portal):', e.message));
  await portal.goto(`${base}/`);
  await portal.waitForSelector('body[data-ready=true]');
  await portal.waitForFunction(() => window.portalMap.loaded());
  // The spot: Chợ Hàn, in Hải Châu, placed on the map where the citizen taps.
  await portal.evaluate(() => window.portalMap.jumpTo({ center: [108.2243, 16.0681], zoom: 16 }));
  await portal.locator('#map').scrollIntoViewIfNeeded();
  const box = await portal.locator('#map').boundingBox();
  await portal.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await portal.selectOption('select[name=category]', 'garbage-uncollected');
  await portal.fill('textarea[name=description]', 'Rác thải tập kết trên vỉa hè đường Trần Phú cạnh chợ Hàn, bốc mùi');
  await portal.setInputFiles('input[name=photos]', { name: 'rac.png', mimeType: 'image/png', buffer: Buffer.from(REPORT_PNG, 'base64') });
  await portal.click('#send');
  await portal.waitForSelector('#report-done:not([hidden])');
  const code = await portal.locator('#done-code').textContent();
  const link = await portal.locator('#done-link').getAttribute('href');
  check(/^DN-\d{4}-\d{6}$/.test(code), `the citizen files ${code} with a photo and gets a tracking link`);

  // ---- the operator, in the console -----------------------------------------------------------
  const op = await desk(browser, base, 'operator');
  const t = await op.api(`/api/v1/tickets/${code}`);
  const item = op.page.locator(`#queue-list li[data-id="${t.id}"]`);
  await item.waitFor({ timeout: 15_000 });
  check(true, `${code} is in the operator's triage queue`);
  await item.click();
  await waitFor(async () => (await op.page.locator('#detail h2').textContent()) === code, 'the ticket panel', 20_000);
  const shownPhotos = await op.page.locator('#detail .photos img').count();
  check(shownPhotos === 1, 'the operator sees the citizen’s photo');
  await op.page.locator('#detail .actions button', { hasText: 'Chuyển xử lý' }).click();
  await op.page.locator('#detail form.action select[name=unit]').selectOption(UNIT);
  await op.page.locator('#detail form.action [name=note]').fill('Đề nghị thu gom trong ngày');
  await op.page.locator('#detail form.action [name=note]').press('Control+Enter');
  await waitFor(async () => (await status(op.page)).includes('Đã chuyển xử lý'), 'the forward', 20_000);
  check(true, `the operator forwards it to ${UNIT}`);

  // ---- the unit, in its console ---------------------------------------------------------------
  const ag = await desk(browser, base, 'agency');
  const mine = ag.page.locator(`#queue-list li[data-id="${t.id}"]`);
  await mine.waitFor({ timeout: 15_000 });
  await mine.click();
  await waitFor(async () => (await ag.page.locator('#detail h2').textContent()) === code, 'the unit’s ticket panel', 20_000);
  await act(ag.page, 'Tiếp nhận');
  await waitFor(async () => (await status(ag.page)).includes('Đơn vị đã nhận'), 'accepted', 20_000);
  await act(ag.page, 'Báo cáo kết quả', { result: 'Đã thu gom toàn bộ rác, vệ sinh vỉa hè' }, async (form) => {
    await form.locator('input[name=photos]').setInputFiles({ name: 'ket-qua.png', mimeType: 'image/png', buffer: Buffer.from(RESULT_PNG, 'base64') });
  });
  await waitFor(async () => (await status(ag.page)).includes('Đã xử lý'), 'resolved', 20_000);
  check(true, 'the unit accepts it and resolves it with a result photo');
  await waitFor(async () => (await mine.count()) === 0, 'the resolved ticket to leave the unit’s queue', 20_000);

  // ---- the citizen again ----------------------------------------------------------------------
  await portal.goto(link);
  await portal.waitForSelector('#ticket .result');
  check((await portal.locator('#ticket .result p').textContent()).includes('Đã thu gom'), 'the citizen sees the result');
  const thumbs = await portal.locator('#ticket .photos img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')));
  check(thumbs.length === 1 && /^\/media\/[0-9a-f]{64}\.thumb\.jpg$/.test(thumbs[0]), `and the result photo, not the unpublished report photo (${thumbs})`);
  const img = await portal.request.get(`${base}${thumbs[0]}`);
  check(img.ok() && img.headers()['content-type'] === 'image/jpeg', 'the photo loads as a JPEG');
  const timeline = await portal.locator('#ticket .timeline').textContent();
  check(timeline.includes('Bổ sung hình ảnh'), 'the timeline shows photos being added');

  await portal.locator('#survey-form label.opt.no').click();
  await portal.locator('#survey-form .stars label').nth(1).click();
  await portal.fill('#survey-form textarea', 'Vẫn còn rác ở góc chợ');
  await portal.click('#survey-form button[type=submit]');
  await waitFor(async () => (await portal.locator('#ticket .status').textContent()) === 'Đã chuyển đơn vị xử lý', 'the reopened status', 15_000);
  check((await portal.locator('#ticket .timeline').textContent()).includes('Mở lại'), 'the survey answered "not fixed" reopens the report');
  await mine.waitFor({ timeout: 15_000 });
  check(true, 'and it is back in the unit’s queue, live');
  await portal.screenshot({ path: `${artifacts}/flow-portal.png`, fullPage: true });
});
