// The console as a desk in the browser: a signed-in page of /console, and its action forms.

import { check } from './harness.mjs';

const PASSWORD = 'switchboard-demo';

export async function desk(browser, base, name) {
  const context = await browser.newContext({ viewport: { width: 1600, height: 950 }, timezoneId: 'Asia/Ho_Chi_Minh', locale: 'vi-VN' });
  const login = await context.request.post(`${base}/api/v1/session`, { data: { name, password: PASSWORD } });
  check(login.ok(), `${name} signs in`);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error (${name}):`, e.message));
  await page.goto(`${base}/console`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  return { context, page, api: async (path) => (await context.request.get(`${base}${path}`)).json() };
}

/** Clicks a button of the open ticket's actions, fills its form (then `prepare(form)`) and confirms with Ctrl+Enter. */
export async function act(page, label, fill = {}, prepare = async () => {}) {
  const form = page.locator('#detail form.action');
  // The panel re-renders when the live feed brings the ticket's last change: a click on the
  // button it replaced opens nothing, so click again (the button toggles the form: only if closed).
  for (let attempt = 1; ; attempt++) {
    await page.locator('#detail .actions button', { hasText: label }).click();
    try {
      await form.waitFor({ timeout: 5_000 });
      break;
    } catch (e) {
      if (attempt === 4) throw e;
    }
  }
  for (const [name, value] of Object.entries(fill)) await form.locator(`[name=${name}]`).fill(value);
  await prepare(form);
  await form.locator('textarea, input, select').first().press('Control+Enter');
  await page.waitForFunction(() => !document.querySelector('#detail form.action'), null, { timeout: 15_000 });
}

export const status = (page) => page.locator('#detail header .st').textContent();
