// Browser test of the hotline desk with a fake PBX: a citizen who reported a broken street light
// on the portal calls the hotline; the phone system (this script, posting signed call events to
// /webhooks/pbx) rings the operator's extension and the operator's console pops the call up with
// her earlier ticket. The call is a question: the operator looks the procedure up in the panel,
// records the question without a ticket, marked for a callback; when the call ends its length
// and recording reach the saved inquiry. A missed call lands in the callback list, where the
// operator settles it. The leader's page counts it all, naming no caller.

import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, check, waitFor, withServer } from './harness.mjs';
import { desk } from './desk.mjs';

const SECRET = 'e2e-pbx-secret-0123456789';
const PASSWORD = 'switchboard-demo';

/** The fake PBX: posts call events signed the way the webhook wants. */
async function pbx(base, events) {
  const body = JSON.stringify({ events });
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex');
  const r = await fetch(`${base}/webhooks/pbx`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-switchboard-signature': `t=${t},v1=${v1}` },
    body,
  });
  if (!r.ok) throw new Error(`the PBX webhook answered ${r.status}: ${await r.text()}`);
  return (await r.json()).results.map((x) => x.outcome);
}

await withServer(['--demo-tickets', '0', '--pbx-secret', SECRET], async ({ base, browser }) => {
  // Last week, on the portal: a broken street light, with her number written her way.
  const { categories } = await (await fetch(`${base}/api/v1/categories`)).json();
  const filed = await fetch(`${base}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      category: categories[0].code, description: 'Đèn đường trước số 12 Lê Duẩn không sáng',
      location: { lon: 108.2208, lat: 16.0718 }, reporter: { name: 'Phạm Thị Hoa', phone: '0905 777 888' }, consent: true,
    }),
  });
  check(filed.status === 201, 'the citizen reported a problem on the portal');
  const { code } = await filed.json();

  const op = await desk(browser, base, 'operator');
  const { page } = op;
  await page.fill('#ext-form input[name=extension]', '101');
  await page.press('#ext-form input[name=extension]', 'Enter');
  await waitFor(async () => (await op.api('/api/v1/desk/extension')).extension === '101', 'the operator on extension 101', 10_000);
  check(true, 'the operator answers on extension 101');

  // The PBX rings extension 101, then the operator picks up.
  const callId = `e2e-${Date.now()}`;
  const rang = new Date(Date.now() - 8000).toISOString();
  check((await pbx(base, [{ call_id: callId, event: 'ringing', at: rang, caller: '+84905777888', extension: '101' }])).join() === 'recorded', 'the PBX reports the call ringing');
  await pbx(base, [{ call_id: callId, event: 'answered', extension: '101' }]);
  const popup = page.locator('#callpop');
  await page.waitForSelector('#callpop[data-state=answered]', { timeout: 15_000 });
  const popText = await popup.textContent();
  check(popText.includes('0905777888'), 'the call pops up with the caller’s number');
  check((await popup.locator('.hist-tickets').textContent()).includes(code), `and her earlier ticket ${code}`);

  // A question, not a problem: the procedure from the panel, the answer, a callback.
  await popup.locator('[data-pop=inquiry]').click();
  check(await page.locator('#inquiry-box').evaluate((d) => d.open), 'the question form opens');
  check((await page.inputValue('#inquiry-form [name=caller_phone]')) === '0905777888', 'with the caller’s number');
  await page.fill('#procs input[name=procedure-q]', 'dang ky khai sinh');
  const hit = page.locator('#procs ol button[data-code]').first();
  await hit.waitFor({ timeout: 10_000 });
  await hit.click();
  await page.locator('#procs .card button[data-use]').click();
  const procedure = await page.inputValue('#inquiry-form [name=procedure]');
  check(/^\d/.test(procedure), `the procedure ${procedure} goes into the question`);
  check((await page.inputValue('#inquiry-form [name=topic]')).length > 0, 'and names its topic');
  await page.fill('#inquiry-form [name=answer]', 'Tờ khai và giấy chứng sinh; nộp tại UBND phường, không mất phí.');
  await page.selectOption('#inquiry-form [name=outcome]', 'callback');
  await page.fill('#inquiry-form [name=callback_reason]', 'Gửi lại danh sách giấy tờ qua Zalo');
  await page.click('#inquiry-form button[type=submit]');
  await page.locator('#toasts', { hasText: 'Đã lưu câu hỏi' }).waitFor({ timeout: 10_000 });
  const inquiries = await op.api('/api/v1/inquiries');
  check(inquiries.length === 1 && inquiries[0].call_id === callId && inquiries[0].procedure === procedure, 'the question is saved with its call and procedure, no ticket');
  await page.locator('#callbacks .cb', { hasText: '0905777888' }).waitFor({ timeout: 15_000 });
  check(true, 'and the callback is on the list');

  // The call ends: its length and recording reach the saved question.
  await pbx(base, [{ call_id: callId, event: 'ended', duration_seconds: 214, recording_ref: `2026/12/05/${callId}.wav` }]);
  const saved = await op.api(`/api/v1/inquiries/${inquiries[0].id}`);
  check(saved.call.duration_seconds === 214 && saved.call.recording_ref.endsWith('.wav'), 'the ended call’s length and recording fill in');
  await page.waitForSelector('#callpop[data-state=ended]', { timeout: 15_000 });
  check(true, 'the console shows the call ended');

  // A missed call from someone else becomes a callback; the operator rings back and settles it.
  await pbx(base, [{ call_id: `${callId}-m`, event: 'missed', caller: '0236 3822 123' }]);
  const missed = page.locator('#callbacks .cb', { hasText: '02363822123' });
  await missed.waitFor({ timeout: 15_000 });
  check((await missed.textContent()).includes('Cuộc gọi nhỡ'), 'the missed call is on the callback list');
  await missed.locator('[data-cb=done]').click();
  await waitFor(async () => (await page.locator('#callbacks .cb', { hasText: '02363822123' }).count()) === 0, 'the callback settled', 10_000);
  check(true, 'the operator settles it');
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'phonedesk.png') });

  // The leader's page counts the desk, and names nobody.
  const leader = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'vi-VN' });
  const login = await leader.request.post(`${base}/api/v1/session`, { data: { name: 'leader', password: PASSWORD } });
  check(login.ok(), 'the leader signs in');
  const lp = await leader.newPage();
  await lp.goto(`${base}/leader`);
  const card = lp.locator('#desk-figures');
  await card.locator('.kpi').first().waitFor({ timeout: 30_000 });
  const text = await card.textContent();
  check(/Cuộc gọi hỏi đáp/.test(text) && /Cuộc gọi nhỡ/.test(text), 'the leader sees the desk’s figures');
  check(!text.includes('0905777888') && !text.includes('3822123'), 'without any caller’s number');
  await op.context.close();
  await leader.close();
});
