// Appointments end to end, as Ms. Vân Anh and a counter clerk would: she books on the portal
// (`/dat-lich`), receives the reminder (captured from the notifier at a fake SMS gateway), is
// checked in at the counter page by the camera reading her QR code (Chromium's fake camera plays
// a frame of the code), and sees her number called on the office's display board, which keeps
// its last board through a network blip; the kiosk at the door, opened by the clerk, gives a
// priority number. The office is open all day every day and the calendar
// has no holiday, so the test does not depend on when it runs (but for 23:55–24:00 Vietnam time).

import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { chromium } from 'playwright-core';
import { check, waitFor, withServer } from './harness.mjs';

const OFFICE = 'E2E-ALLDAY';
const PASSWORD = 'switchboard-demo';
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** One frame of `text`'s QR code as a YUV4MPEG2 file: Chromium's fake camera loops it. */
function qrVideo(text, file) {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const [w, h, px] = [640, 480, 10];
  const size = qr.modules.size;
  const x0 = Math.floor((w - size * px) / 2);
  const y0 = Math.floor((h - size * px) / 2);
  const y = Buffer.alloc(w * h, 235);
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++)
      if (qr.modules.get(r, c))
        for (let dy = 0; dy < px; dy++) y.fill(16, (y0 + r * px + dy) * w + x0 + c * px, (y0 + r * px + dy) * w + x0 + (c + 1) * px);
  const chroma = Buffer.alloc((w / 2) * (h / 2) * 2, 128);
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), y, chroma]));
}

/** A cookie session for the API (node's fetch sends no Origin: the cross-site guard lets it by). */
async function signIn(base, name) {
  const r = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password: PASSWORD }) });
  if (!r.ok) throw new Error(`sign-in ${name}: ${r.status}`);
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return (method, path, body) => fetch(`${base}${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
}

const sms = [];
const gateway = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    try {
      sms.push(JSON.parse(body));
    } catch {}
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
});
await new Promise((r) => gateway.listen(0, '127.0.0.1', r));
const work = mkdtempSync(join(tmpdir(), 'switchboard-appointments-'));
const holidays = join(work, 'no-holidays.json');
writeFileSync(holidays, JSON.stringify({ name: 'none', holidays: [] }));

try {
  await withServer(
    ['--demo-tickets', '0', '--webhook-secret-sms', 'e2e-sms-secret-of-the-gateway', '--notify-url-sms', `http://127.0.0.1:${gateway.address().port}/sms`, '--holidays', holidays],
    async ({ base, browser }) => {
      const admin = await signIn(base, 'admin');
      const day = [['00:00', '23:59']];
      const hours = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, day]));
      let r = await admin('PUT', `/api/v1/offices/${OFFICE}`, {
        id: OFFICE, name: 'Bộ phận một cửa thử nghiệm', name_en: 'Test one-stop counter', address: '1 Bạch Đằng, Hải Châu', lon: 108.2237, lat: 16.0678,
        counters: 2, hours, days_ahead: 6, per_person_per_day: 2,
        services: [{ id: 'ho-tich', name: 'Hộ tịch', name_en: 'Civil status', procedures: ['1.001193'], slot_minutes: 5, capacity: 2 }],
      });
      check(r.status === 200, `an admin puts an office open all day (${r.status})`);
      r = await admin('POST', '/api/v1/users', { name: 'e2e.clerk', role: 'clerk', password: PASSWORD, offices: [OFFICE] });
      check(r.status === 201, 'a clerk of that office is added');

      // The citizen books on the portal, from the procedure's page link.
      const page = await browser.newPage({ viewport: { width: 412, height: 900 } });
      await page.goto(`${base}/dat-lich?procedure=1.001193`);
      await page.click(`button[data-office="${OFFICE}"]`);
      await page.click('button.day[aria-pressed]:not([disabled])');
      await page.waitForSelector('button.slot:not([disabled])');
      // The second free slot: the first may start before the form is sent.
      await page.locator('button.slot:not([disabled])').nth(1).click();
      await page.fill('#person input[name=name]', 'Nguyễn Thị Vân Anh');
      await page.fill('#person input[name=phone]', '0905 123 456');
      await page.click('#book-send');
      await page.waitForSelector('#done:not([hidden])');
      const done = await page.textContent('#done-body');
      const code = /LH-[2-9A-Z]{6}/.exec(done)?.[0];
      check(Boolean(code), `the confirmation shows the code (${code})`);
      check(done.includes('Tờ khai'), 'and the documents to bring, from the catalogue');
      check((await page.locator('#done-body img, #done-body svg, #done-body canvas').count()) > 0, 'and its QR code');

      // The confirmation, then the reminder an hour before, reach the gateway.
      const to = (t) => sms.find((m) => m.template === t && m.recipient.replace(/\D/g, '') === '0905123456' && m.code === code);
      await waitFor(() => to('booking_confirmed'), 'the confirmation SMS', 30_000).catch((e) => { console.log(JSON.stringify(sms)); throw e; });
      const reminder = await waitFor(() => to('booking_reminder_hour'), 'the reminder SMS', 60_000);
      check(reminder.text_vi.includes(code) && reminder.text_vi.startsWith('Nhắc lịch'), `the reminder names the booking: ${reminder.text_vi}`);

      // The board is open in the waiting room.
      const board = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await board.goto(`${base}/display/${OFFICE}`);
      await waitFor(async () => (await board.textContent('#office')).includes('thử nghiệm'), 'the board', 15_000);

      // The clerk checks her in with the camera, then calls her.
      const video = join(work, 'qr.y4m');
      qrVideo(code, video);
      const cam = await chromium.launch({
        executablePath,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
      });
      try {
        const desk = await (await cam.newContext({ permissions: ['camera'] })).newPage();
        await desk.goto(`${base}/counter`);
        await desk.fill('#signin-form input[name=name]', 'e2e.clerk');
        await desk.fill('#signin-form input[name=password]', PASSWORD);
        await desk.click('#signin-form button[type=submit]');
        await desk.waitForSelector('#signin', { state: 'hidden' });
        await desk.click('#scan');
        const checked = await waitFor(async () => desk.textContent('#checked').then((t) => t.includes('H001') && t), 'the QR check-in', 20_000);
        check(checked.includes('Nguyễn Thị Vân Anh') && checked.includes(code), `checked in by the camera: ${checked}`);
        await desk.click('#next');
        await waitFor(async () => (await desk.textContent('#current')).includes('H001'), 'H001 at the counter', 10_000);
        const row = await waitFor(async () => board.textContent('#serving').then((t) => t.includes('H001') && t), 'H001 on the board', 25_000);
        check(/1\s*H001/.test(row.replace(/\s+/g, ' ')), 'the board shows H001 at counter 1');
        check(!(await board.textContent('body')).includes('Vân Anh'), 'the board names nobody');

        // A network blip: the board keeps its numbers, says it is reconnecting, and comes back.
        await board.route('**/api/v1/public/offices/**', (route) => route.abort());
        await board.evaluate(() => window.dispatchEvent(new Event('offline')));
        await desk.click('#served');
        await waitFor(async () => !(await board.isHidden('#offline')), 'the reconnecting banner', 40_000);
        check((await board.textContent('#serving')).includes('H001'), 'the last board stays up through the blip');
        await board.unroute('**/api/v1/public/offices/**');
        await waitFor(async () => board.isHidden('#offline'), 'the board back online', 30_000);
        const status = await admin('GET', `/api/v1/offices/${OFFICE}/bookings`).then((x) => x.json());
        check(status.some((b) => b.code === code && b.status === 'served'), 'the booking is served');

        // At the door, the kiosk (opened by the clerk) gives an elderly visitor a priority number.
        const kiosk = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
        await kiosk.goto(`${base}/kiosk/${OFFICE}`);
        await kiosk.fill('#signin-form input[name=name]', 'e2e.clerk');
        await kiosk.fill('#signin-form input[name=password]', PASSWORD);
        await kiosk.click('#signin-form button[type=submit]');
        await kiosk.check('#priority input[value=elderly]');
        await kiosk.click('#services button[data-service="ho-tich"]');
        await waitFor(async () => (await kiosk.textContent('#label')) === 'U001', 'the kiosk number U001', 15_000);
        const waiting = await admin('GET', `/api/v1/public/offices/${OFFICE}/display`).then((x) => x.json());
        check(waiting.waiting.priority === 1, 'the board counts one priority number waiting');
      } finally {
        await cam.close();
      }
    },
  );
} finally {
  gateway.close();
  rmSync(work, { recursive: true, force: true });
}
