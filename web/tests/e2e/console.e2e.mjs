// Browser test of the console, as the flow has it from the centre's side: the demo
// operator takes a call from the keyboard (caller, number, category typed without diacritics,
// the place found by search, description; Enter files it), takes a second call at the same spot
// (picked on the map), sees the first as a nearby duplicate and files the second as its duplicate,
// finds the first in the triage queue and forwards it to the unit the routing rules suggest. The
// demo agency user (Hải Châu's People's Committee, where the call was placed) sees it in the unit's
// queue with its deadline counting down, forwards it to the ward's station below, accepts it,
// posts progress and resolves it; the timeline shows every step; the operator publishes the result.
// Then an admin gives a direction (chỉ đạo) on the ticket: the agency desk lists it under “Chỉ
// đạo cần xử lý”, opens the ticket from it and sees it in the ticket's panel and timeline, reports
// back (which acknowledges it too), and the timeline shows the acknowledgement and the report.

import { act, desk, status } from './desk.mjs';
import { artifacts, check, waitFor, withServer } from './harness.mjs';

await withServer(['--demo-tickets', '200'], async ({ base, browser }) => {
  // ---- the operator takes two calls ------------------------------------------------------------
  const op = await desk(browser, base, 'operator');
  const { page } = op;
  check(await page.evaluate(() => document.activeElement?.getAttribute('name')) === 'name', 'the call form has the focus: the caller’s name first');
  await page.keyboard.type('Nguyễn Văn Thành');
  await page.keyboard.press('Tab');
  await page.keyboard.type('0905 123 456');
  await page.keyboard.press('Tab');
  await page.keyboard.type('xay dung khong phep');
  await page.locator('#category-list li', { hasText: 'Xây dựng không phép' }).first().waitFor();
  await page.keyboard.press('Tab'); // takes the highlighted category and moves on
  check((await page.locator('#call-form [name=category]').inputValue()).startsWith('Xây dựng không phép'), 'the category is found typed without diacritics');
  await page.keyboard.type('cho han');
  await page.locator('#place-list li', { hasText: 'Chợ Hàn' }).first().waitFor();
  await page.keyboard.press('Enter'); // picks the place, does not file yet
  check(await page.locator('#call-form [name=address]').inputValue() === 'Chợ Hàn', 'the place search fills the address');
  await waitFor(async () => (await page.locator('#route').textContent()).includes('UBND quận Hải Châu'), 'the routing suggestion', 20_000);
  check(true, 'the form shows where the call will be routed: UBND quận Hải Châu');
  await page.keyboard.press('Tab'); // the address (filled from the place)
  await page.keyboard.press('Tab');
  await page.keyboard.type('Nhà số 12 kiệt 45 đang xây thêm tầng 4 không có giấy phép, vật liệu chiếm lòng đường.');
  await page.keyboard.press('Shift+Tab');
  check(await page.evaluate(() => document.activeElement?.getAttribute('name')) === 'address', 'Tab order: place → address → description');
  await page.keyboard.press('Enter'); // files from a one-line field
  const first = await page.locator('#filed-list li b').first().textContent({ timeout: 15_000 });
  check(/^DN-\d{4}-\d{6}$/.test(first), `Enter files the call: ${first}`);
  const t1 = await op.api(`/api/v1/tickets/${first}`);
  check(t1.channel === 'hotline' && t1.reporter?.name === 'Nguyễn Văn Thành' && t1.category === 'illegal-construction', 'it is a hotline ticket with the caller and the category');
  const call1 = await op.api(`/api/v1/tickets/${first}/call`);
  check(Number.isInteger(call1.duration_seconds) && call1.duration_seconds >= 1, `the call's time and length are kept (${call1.duration_seconds} s)`);
  check(await page.locator('#call-form [name=name]').inputValue() === '' && await page.evaluate(() => document.activeElement?.getAttribute('name')) === 'name', 'the form is clear for the next call, focus on the name');

  // Esc clears the form for the next call; the toast's undo brings it back.
  await page.keyboard.type('Lê Thị Hoa');
  await page.keyboard.press('Escape');
  check(await page.locator('#call-form [name=name]').inputValue() === '', 'Esc clears the form');
  await page.locator('.toast button', { hasText: 'Hoàn tác' }).click();
  check(await page.locator('#call-form [name=name]').inputValue() === 'Lê Thị Hoa', 'and its undo restores it');

  // Second call, same spot, picked on the map.
  await page.locator('#call-form [name=name]').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.type('0911222333');
  await page.keyboard.press('Tab');
  await page.keyboard.type('xay dung');
  await page.locator('#category-list li', { hasText: 'Xây dựng không phép' }).first().waitFor();
  await page.keyboard.press('Enter');
  const at = await page.evaluate(([lon, lat]) => {
    const p = window.consoleMap.project([lon, lat]);
    const r = window.consoleMap.getContainer().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, [t1.location.lon + 0.0002, t1.location.lat]);
  await page.mouse.click(at.x, at.y);
  const dup = page.locator(`#dups li[data-id="${t1.id}"]`);
  await dup.waitFor({ timeout: 15_000 });
  check((await dup.textContent()).includes(first), `the first call shows as an open ticket of the category within 200 m (${(await dup.textContent()).match(/\d+ m/)?.[0]})`);
  await page.locator('#call-form [name=description]').fill('Gọi lần hai về công trình xây dựng không phép ở chợ Hàn.');
  await dup.locator('button.dup').click();
  await page.locator('.toast', { hasText: new RegExp(`trùng với.*${first}`) }).waitFor({ timeout: 15_000 });
  const second = await page.locator('#filed-list li b').first().textContent();
  const t2 = await op.api(`/api/v1/tickets/${second}`);
  check(t2.status === 'duplicate' && t2.duplicate_of === t1.id && t2.reporter?.name === 'Lê Thị Hoa', `the second call ${second} is filed as a duplicate of ${first}`);

  // ---- triage: the first call in the queue, forwarded to the suggested unit ----------------------
  const item = page.locator(`#queue-list li[data-id="${t1.id}"]`);
  await item.waitFor({ timeout: 15_000 });
  check(true, `${first} waits in the triage queue`);
  await item.click();
  await waitFor(async () => (await page.locator('#detail h2').textContent()) === first, 'the ticket panel', 20_000);
  await page.locator('#detail .actions button', { hasText: 'Chuyển xử lý' }).click();
  const unitSelect = page.locator('#detail form.action select[name=unit]');
  await unitSelect.waitFor();
  check(await unitSelect.inputValue() === t1.suggested_unit && t1.suggested_unit === 'DN-HC-UBND', `the unit list is prefilled with the routing suggestion (${t1.suggested_unit})`);
  await page.locator('#detail form.action [name=note]').fill('Đề nghị kiểm tra, xử lý theo thẩm quyền');
  await page.locator('#detail form.action [name=note]').press('Control+Enter');
  await waitFor(async () => (await status(page)).includes('Đã chuyển xử lý'), 'the ticket to be assigned', 20_000);
  check((await op.api(`/api/v1/tickets/${first}`)).unit === 'DN-HC-UBND', 'it is forwarded to UBND quận Hải Châu');
  await waitFor(async () => (await item.count()) === 0, 'the ticket to leave the triage queue', 20_000);
  check(true, 'and leaves the triage queue');

  // ---- the agency works it --------------------------------------------------------------------
  const ag = await desk(browser, base, 'agency');
  const mine = ag.page.locator(`#queue-list li[data-id="${t1.id}"]`);
  await mine.waitFor({ timeout: 15_000 });
  const countdown = await mine.locator('.cd').textContent();
  check(/^Còn \d+ ngày \d\d:\d\d$/.test(countdown) && !(await mine.getAttribute('class')).includes('overdue'), `the unit's queue shows it with its deadline counting down: "${countdown}"`);
  await mine.click();
  await waitFor(async () => (await ag.page.locator('#detail h2').textContent()) === first, 'the agency’s ticket panel', 20_000);
  check((await ag.page.locator('#detail dl').textContent()).includes('0905 123 456'), 'the assigned unit sees the caller’s number');
  await ag.page.locator('#detail .actions button', { hasText: 'Chuyển đơn vị khác' }).click();
  const sub = await ag.page.locator('#detail form.action select[name=unit]').inputValue();
  check(sub.startsWith('DN-HC-') && sub !== 'DN-HC-UBND', `forwarding offers the ward's station below, prefilled (${sub})`);
  await ag.page.locator('#detail form.action [name=note]').fill('Giao UBND phường kiểm tra hiện trường');
  await ag.page.locator('#detail form.action [name=note]').press('Control+Enter');
  await waitFor(async () => (await ag.api(`/api/v1/tickets/${first}`)).unit === sub, 'the forward to the sub-unit', 20_000);
  await act(ag.page, 'Tiếp nhận');
  await waitFor(async () => (await status(ag.page)).includes('Đơn vị đã nhận'), 'accepted', 20_000);
  await act(ag.page, 'Cập nhật tiến độ', { note: 'Đã lập biên bản, yêu cầu dừng thi công' });
  // Result photos go with the result.
  await act(ag.page, 'Báo cáo kết quả', { result: 'Đã đình chỉ thi công, buộc tháo dỡ phần tầng 4 xây trái phép.' }, async (form) => {
    const png = await ag.page.screenshot({ clip: { x: 0, y: 0, width: 320, height: 200 } });
    await form.locator('input[name=photos]').setInputFiles({ name: 'ket-qua.png', mimeType: 'image/png', buffer: png });
  });
  await waitFor(async () => (await status(ag.page)).includes('Đã xử lý'), 'resolved', 20_000);
  const kinds = await ag.page.locator('#detail .timeline li').evaluateAll((lis) => lis.map((li) => li.dataset.kind));
  check(JSON.stringify(kinds) === JSON.stringify(['created', 'assigned', 'forwarded', 'accepted', 'progress', 'photo_added', 'resolved']), `the timeline shows every step: ${kinds.join(' → ')}`);
  check((await ag.page.locator('#detail .timeline').textContent()).includes('Đã lập biên bản'), 'with the progress note');
  check((await ag.page.locator('#detail .result').textContent()).includes('Đã đình chỉ thi công'), 'the result is shown');
  const photos = (await ag.api(`/api/v1/tickets/${first}`)).photos ?? [];
  check(photos.some((p) => p.kind === 'result'), 'with its photo');
  await waitFor(async () => (await mine.count()) === 0, 'the resolved ticket to leave the unit’s queue', 20_000);
  check(true, 'the resolved ticket leaves the unit’s queue');
  await ag.page.screenshot({ path: `${artifacts}/console-agency.png` });

  // ---- the centre publishes the result -----------------------------------------------------------
  await page.locator('#queue-tabs button[data-tab=publish]').click();
  const toPublish = page.locator(`#queue-list li[data-id="${t1.id}"]`);
  await toPublish.waitFor({ timeout: 15_000 });
  check(true, 'the live feed brings the result to the centre’s “to publish” queue');
  await toPublish.click();
  await waitFor(async () => (await page.locator('#detail h2').textContent()) === first, 'the ticket panel', 20_000);
  await page.screenshot({ path: `${artifacts}/console.png` });
  await act(page, 'Công bố kết quả');
  await waitFor(async () => (await status(page)).includes('Đã đóng'), 'closed', 20_000);
  check((await op.api(`/api/v1/tickets/${first}`)).status === 'closed', 'the operator publishes the result');

  // ---- a direction on the ticket reaches the unit's desk ------------------------------------------------
  const admin = await browser.newContext();
  check((await admin.request.post(`${base}/api/v1/session`, { data: { name: 'admin', password: 'switchboard-demo' } })).ok(), 'the admin signs in');
  const due = new Date(Date.now() + 7 * 3_600_000 + 7 * 86_400_000).toISOString().slice(0, 10);
  const given = await admin.request.post(`${base}/api/v1/directions`, { data: { ticket: first, text: 'Kiểm tra lại hiện trường, báo cáo việc tháo dỡ tầng 4', due } });
  check(given.status() === 201, `the admin directs the ticket’s unit to check the site again by ${due} (${given.status()})`);
  const direction = await given.json();
  await ag.page.locator('#d-refresh').click();
  const dir = ag.page.locator(`#d-list li[data-id="${direction.id}"]`);
  await dir.waitFor({ timeout: 15_000 });
  check((await dir.textContent()).includes(first) && (await dir.getAttribute('data-status')) === 'open', 'the unit’s desk lists it under “Chỉ đạo cần xử lý”, with the ticket’s code');
  await dir.locator('a[data-open]').click();
  await waitFor(async () => (await ag.page.locator('#detail h2').textContent()) === first, 'the ticket from the direction', 20_000);
  check((await ag.page.locator('#detail .d-pending').textContent()).includes('Kiểm tra lại hiện trường'), 'the ticket’s panel shows the direction waiting');
  check((await ag.page.locator('#detail .timeline li[data-kind="direction.issued"]').count()) === 1, 'and its timeline has it');
  await dir.locator('[data-report]').click();
  await dir.locator('form.d-report textarea').fill('Đã kiểm tra: phần tầng 4 đã tháo dỡ xong.');
  await dir.locator('form.d-report textarea').press('Control+Enter');
  await waitFor(async () => (await dir.count()) === 0, 'the direction to leave the list', 15_000);
  const answered = await ag.api(`/api/v1/directions/${direction.id}`);
  check(answered.status === 'reported' && answered.acknowledged_by === 'user:agency', 'the report back acknowledges it too, and it leaves the list');
  await ag.page.fill('#find-code', first);
  await ag.page.press('#find-code', 'Enter');
  await waitFor(async () => (await ag.page.locator('#detail .timeline li[data-kind="direction.reported"]').count()) === 1, 'the report in the timeline', 20_000);
  const steps = await ag.page.locator('#detail .timeline li.direction').evaluateAll((lis) => lis.map((li) => li.dataset.kind));
  check(JSON.stringify(steps) === JSON.stringify(['direction.issued', 'direction.acknowledged', 'direction.reported']), `the ticket’s timeline shows the direction: ${steps.join(' → ')}`);
  await admin.close();
});
