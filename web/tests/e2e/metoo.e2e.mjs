// Browser test of "me too": a burst water pipe was reported an hour ago; a second citizen on a
// phone opens the portal, puts the pin where it is and picks the same category — the open report
// shows up under the form, and "Tôi cũng gặp" adds their support (with their number, as they
// agreed, and their photo) instead of a duplicate. The count reaches the ticket and the operator's
// console, which lists the supporter's contact; pressing again on the same phone counts nothing.

import { check, waitFor, withServer } from './harness.mjs';
import { desk } from './desk.mjs';


await withServer(['--demo-tickets', '0'], async ({ base, browser }) => {
  const { categories } = await (await fetch(`${base}/api/v1/categories`)).json();
  const category = categories[2].code;
  const at = { lon: 108.2205, lat: 16.0681 };
  const filed = await fetch(`${base}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category, description: 'Ống nước vỡ trước chợ Hàn, nước tràn ra đường Bạch Đằng', location: at }),
  });
  check(filed.status === 201, 'the first citizen reported the problem');
  const { id, code } = await filed.json();

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'vi-VN' });
  const page = await phone.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready=true]');
  await page.waitForFunction(() => window.portalMap.loaded());
  // The pin where the pipe burst, then the category.
  await page.evaluate(([lon, lat]) => window.portalMap.jumpTo({ center: [lon, lat], zoom: 17 }), [at.lon, at.lat]);
  await page.locator('#map').scrollIntoViewIfNeeded();
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.selectOption('select[name=category]', category);
  const offer = page.locator('#metoo li', { hasText: code });
  await offer.waitFor({ timeout: 15_000 });
  check((await offer.textContent()).includes('Ống nước vỡ'), 'the open report nearby is offered under the form');

  await page.fill('input[name=name]', 'Võ Thị Lan');
  await page.fill('input[name=phone]', '0935 222 111');
  await page.check('input[name=consent]');
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGM4YaOBFTEMLQkAdntLARs7+acAAAAASUVORK5CYII=', 'base64');
  await page.setInputFiles('input[name=photos]', { name: 'ong-nuoc.png', mimeType: 'image/png', buffer: png });
  await offer.locator('button[data-metoo]').click();
  await page.locator('#metoo .notice', { hasText: 'Đã ghi nhận' }).waitFor({ timeout: 10_000 });
  check((await page.locator('#metoo .notice').textContent()).includes('2 người cùng phản ánh'), 'the citizen is thanked: two people reported it now');

  // The operator sees the count and the supporter's contact; the photo came along.
  const op = await desk(browser, base, 'operator');
  const ticket = await op.api(`/api/v1/tickets/${id}`);
  check(ticket.supporters === 1, 'the ticket counts one supporter');
  await waitFor(async () => (await op.api(`/api/v1/tickets/${id}`)).photos?.length === 1, 'the supporter’s photo', 10_000);
  check(true, 'the supporter’s photo is on the ticket');
  await op.page.fill('#find-code', code);
  await op.page.press('#find-code', 'Enter');
  await op.page.locator('#detail dd', { hasText: '1' }).locator('[data-supporters]').click();
  await op.page.locator('#detail .sup-list li', { hasText: '0935 222 111' }).waitFor({ timeout: 10_000 });
  check(true, 'the console lists the supporter’s number');

  // The same phone pressing again counts nothing.
  await page.reload();
  await page.waitForSelector('body[data-ready=true]');
  const again = await page.evaluate(async ([ticketId]) => {
    const device = localStorage.getItem('metoo-device');
    const r = await fetch(`/api/v1/tickets/${ticketId}/supporters`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `${device}:${ticketId}` }, body: '{}' });
    return { status: r.status, body: await r.json() };
  }, [id]);
  check(again.status === 200 && again.body.already && again.body.supporters === 1, 'the same phone counts once');
  await op.context.close();
  await phone.close();
});
