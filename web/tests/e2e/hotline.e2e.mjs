// Browser test of the hotline's answers: a citizen on a phone asks the portal's assistant, in
// plain unaccented Vietnamese, what papers re-issuing a lost land-use certificate needs and gets
// the catalogue's procedure with its code and page; asks for a person; an operator takes the
// conversation in the console and replies, and the reply shows in the citizen's window. The
// catalogue page finds the same procedure unaccented and shows it whole, and the console's
// procedures panel reads it out beside the call form.

import { check, waitFor, withServer } from './harness.mjs';
import { desk } from './desk.mjs';

await withServer(['--demo-tickets', '0'], async ({ base, browser }) => {
  const found = await (await fetch(`${base}/api/v1/procedures?q=${encodeURIComponent('cấp lại giấy chứng nhận quyền sử dụng đất bị mất')}&limit=1`)).json();
  const land = found.items[0];
  check(land && /cấp lại/i.test(land.name), `the demo catalogue holds "${land?.name}" (${land?.code})`);

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'vi-VN' });
  const page = await phone.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  const offsite = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) offsite.push(r.url());
  });
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready=true]');
  await page.click('#chat-open');
  await page.fill('#chat-text', 'cap lai so do bi mat can giay to gi');
  await page.press('#chat-text', 'Enter');
  const answer = page.locator('#chat-turns .turn.bot').first();
  await answer.waitFor({ timeout: 15_000 });
  const text = await answer.textContent();
  check(text.includes(`mã ${land.code}`), 'the assistant quotes the procedure code');
  check((await answer.locator(`a[href="/thu-tuc/${land.code}"]`).count()) === 1, 'and links its page');
  check(/Hồ sơ cần có/.test(text), 'and lists the documents from the catalogue');

  await page.fill('#chat-text', 'cho minh gap nhan vien');
  await page.press('#chat-text', 'Enter');
  await waitFor(async () => (await page.locator('#chat-state').textContent()).includes('Đang chờ tổng đài viên'), 'the hand-over', 15_000);
  check(true, 'asking for a person hands the conversation over');

  // The operator's console: the conversation waits there; take it and reply.
  const op = await desk(browser, base, 'operator');
  const line = op.page.locator('#conversations [data-conv]').first();
  await line.waitFor({ timeout: 15_000 });
  await line.click();
  await op.page.locator('#conversations [data-act=take]').click();
  const reply = op.page.locator('#conversations form.reply textarea');
  await reply.waitFor();
  check((await op.page.locator('#conversations .transcript').textContent()).includes('cap lai so do'), 'the operator reads the transcript');
  await reply.fill('Chào anh/chị, tổng đài viên đây. Anh/chị mang đơn theo Mẫu 10/ĐK đến Chi nhánh Văn phòng đăng ký đất đai nhé.');
  await op.page.locator('#conversations form.reply button[type=submit]').click();
  await page.locator('#chat-turns .turn.operator').waitFor({ timeout: 15_000 });
  check((await page.locator('#chat-turns .turn.operator').textContent()).includes('Mẫu 10/ĐK'), "the operator's reply reaches the citizen's window");

  // The catalogue page, unaccented.
  await page.goto(`${base}/thu-tuc`);
  await page.fill('#q', 'cap lai so do');
  await page.locator(`#results a[data-code="${land.code}"]`).waitFor({ timeout: 15_000 });
  await page.locator(`#results a[data-code="${land.code}"]`).click();
  await page.locator('#detail h2').waitFor();
  const detail = await page.locator('#detail').textContent();
  check(detail.includes('Thành phần hồ sơ') && detail.includes('Cách thức thực hiện') && detail.includes(land.code), 'the procedure page shows it whole');
  check(page.url().endsWith(`/thu-tuc/${land.code}`), 'at its own address');
  await page.click('#lang');
  check((await page.locator('#detail').textContent()).includes('Documents'), 'and in English on the switch');

  // The console's procedures panel beside the call form.
  await op.page.keyboard.press('F6');
  await op.page.fill('#procs input', 'cap lai so do');
  await op.page.locator(`#procs button[data-code="${land.code}"]`).click({ timeout: 15_000 });
  await op.page.locator('#procs .card h4').waitFor();
  check((await op.page.locator('#procs .card').textContent()).includes('Thời hạn'), 'the console reads out the procedure beside the call form');
  check(offsite.length === 0, `nothing loads from elsewhere (${offsite.join(', ')})`);
});
