// Ten phone calls in a row on the console, the way an operator takes them from the keyboard:
// caller's name, number, category typed without diacritics (Tab takes the first match), a place
// typed without diacritics (Enter takes it), the description, Enter files it. Measures, per call,
// the keystrokes needed and the time the system adds: from the first key of a call until the new
// code shows in the "filed" list, with keys typed at machine speed (no think time, but each key is
// one round trip from the test to the browser), and the two waits an operator notices: from the
// place typed to the place list showing it, and from Enter to the code showing.
//
//   CONSOLE_URL=http://127.0.0.1:8080 CHROMIUM_PATH=/usr/bin/chromium node tests/perf/calls-perf.mjs
//
// Needs a server with the demo city (`switchboard serve --demo`).

import { chromium } from 'playwright-core';

const base = process.env.CONSOLE_URL ?? 'http://127.0.0.1:8080';
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// [caller, number, category query, the category it must find, place query, the place, description]
const CALLS = [
  ['Nguyễn Văn An', '0905 111 001', 'rac thai sinh', 'garbage-uncollected', 'cho han', 'Chợ Hàn', 'Rác tồn đọng hai ngày trước cổng chợ'],
  ['Trần Thị Bình', '0905 111 002', 'den chieu sang', 'street-light-broken', 'tran phu', 'Đường Trần Phú', 'Ba cột đèn liền nhau không sáng'],
  ['Lê Văn Cường', '0905 111 003', 'o ga', 'pothole', 'cau rong', 'Cầu Rồng', 'Ổ gà lớn ở chân cầu phía quận Sơn Trà'],
  ['Phạm Thị Dung', '0905 111 004', 'karaoke', 'noise-karaoke', 'my khe', 'Bãi biển Mỹ Khê', 'Hát karaoke quá 22 giờ'],
  ['Hoàng Văn Em', '0905 111 005', 'cong thoat', 'drain-clogged', 'le duan', 'Đường Lê Duẩn', 'Nước tràn từ cống ra lòng đường'],
  ['Võ Thị Phương', '0905 111 006', 'xay dung khong', 'illegal-construction', 'cho con', 'Chợ Cồn', 'Nhà xây thêm tầng không phép'],
  ['Đặng Văn Giang', '0905 111 007', 'cay xanh gay', 'fallen-tree', 'hung vuong', 'Đường Hùng Vương', 'Cây đổ chắn một làn xe'],
  ['Bùi Thị Hạnh', '0905 111 008', 'lan chiem via', 'sidewalk-encroachment', 'bach dang', 'Đường Bạch Đằng', 'Quán cà phê lấn chiếm vỉa hè'],
  ['Đỗ Văn Inh', '0905 111 009', 'mat nuoc', 'water-outage', 'ga da nang', 'Ga Đà Nẵng', 'Khu vực quanh ga mất nước từ sáng'],
  ['Ngô Thị Kim', '0905 111 010', 'den tin hieu', 'traffic-light-out', 'dien bien phu', 'Đường Điện Biên Phủ', 'Đèn tín hiệu nút giao bị tắt'],
];

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const context = await browser.newContext({ viewport: { width: 1600, height: 950 }, timezoneId: 'Asia/Ho_Chi_Minh', locale: 'vi-VN' });
  const login = await context.request.post(`${base}/api/v1/session`, { data: { name: 'operator', password: process.env.SWITCHBOARD_DEMO_PASSWORD ?? 'switchboard-demo' } });
  if (!login.ok()) throw new Error(`sign-in failed: ${login.status()}`);
  const page = await context.newPage();
  await page.goto(`${base}/console`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });

  let keys = 0;
  const type = async (text) => {
    keys += [...text].length;
    await page.keyboard.type(text);
  };
  const press = async (key) => {
    keys += 1;
    await page.keyboard.press(key);
  };
  const rows = [];
  for (const [name, number, catQuery, category, placeQuery, placeName, description] of CALLS) {
    await page.locator('#call-form [name=name]').focus();
    const before = await page.locator('#filed-list li').count();
    keys = 0;
    const t0 = performance.now();
    await type(name);
    await press('Tab');
    await type(number);
    await press('Tab');
    await type(catQuery);
    await page.locator('#category-list li').first().waitFor({ timeout: 10_000 });
    await press('Tab');
    await type(placeQuery);
    const s0 = performance.now();
    await page.locator('#place-list li', { hasText: placeName }).first().waitFor({ timeout: 10_000 });
    const searchMs = performance.now() - s0;
    await press('Enter');
    await press('Tab');
    await press('Tab');
    await type(description);
    await press('Shift+Tab');
    const f0 = performance.now();
    await press('Enter');
    await page.waitForFunction((n) => document.querySelectorAll('#filed-list li').length > n, before, { timeout: 15_000 });
    const fileMs = performance.now() - f0;
    const ms = performance.now() - t0;
    const code = await page.locator('#filed-list li b').first().textContent();
    const ticket = await (await context.request.get(`${base}/api/v1/tickets/${code}`)).json();
    if (ticket.address !== placeName || ticket.reporter?.name !== name || ticket.category !== category) {
      throw new Error(`call ${rows.length + 1} was filed wrongly: ${JSON.stringify({ address: ticket.address, reporter: ticket.reporter, category: ticket.category })}`);
    }
    rows.push({ code, keys, ms, searchMs, fileMs, category: ticket.category });
    console.error(`call ${rows.length}: ${code} ${ticket.category} at ${placeName}: ${keys} keys, ${ms.toFixed(0)} ms in all, place list after ${searchMs.toFixed(0)} ms, filed ${fileMs.toFixed(0)} ms after Enter`);
  }
  const ms = rows.map((r) => r.ms);
  const summary = {
    calls: rows.length,
    keys_per_call: { min: Math.min(...rows.map((r) => r.keys)), max: Math.max(...rows.map((r) => r.keys)) },
    ms_per_call: { p50: Math.round(pct(ms, 50)), max: Math.round(Math.max(...ms)), total: Math.round(ms.reduce((a, b) => a + b, 0)) },
    place_list_ms: { p50: Math.round(pct(rows.map((r) => r.searchMs), 50)), max: Math.round(Math.max(...rows.map((r) => r.searchMs))) },
    enter_to_filed_ms: { p50: Math.round(pct(rows.map((r) => r.fileMs), 50)), max: Math.round(Math.max(...rows.map((r) => r.fileMs))) },
  };
  console.log(JSON.stringify(summary));
} finally {
  await browser.close();
}
