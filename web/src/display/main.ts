// The office's display board (`/display/{office}`): a TV in the waiting room. It long-polls the
// board (`?since=version`), shows the number called at each counter in large type, blinks and
// chimes on a new call, and through a network blip keeps the last board, says it is
// reconnecting and asks again with backoff (1 s doubling to 10 s). Labels and counters only: the
// API sends no personal data.

import { $ } from '../common/dom';
import { ApiError, request } from '../common/http';
import { clock, officeFromPath } from '../common/offices';
import { announce, backoffMs, boardUrl, newCalls, recentHtml, servingHtml, vnDate, waitingHtml, type Board, type BoardCall } from './board';
import { Chime } from './chime';
import './display.css';

/** The server answers a long poll within 20 s; an ask still open after this is a dead connection. */
const POLL_TIMEOUT_MS = 30_000;
/** How long a new call's row blinks (display.css runs the animation this long). */
const BLINK_MS = 6_000;

const office = officeFromPath(location.pathname);
let last: Board | null = null;
let blinkTimer: number | undefined;

const chime = new Chime((running) => {
  $('sound').hidden = running;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function draw(b: Board, fresh: BoardCall[]): void {
  $('office').textContent = b.office.name;
  $('office-en').textContent = b.office.name_en ?? '';
  document.title = `${b.office.name} — Bảng gọi số`;
  $('serving').querySelector('tbody')!.innerHTML = servingHtml(b, fresh);
  $('recent').innerHTML = recentHtml(b, fresh);
  $('waiting').innerHTML = waitingHtml(b.waiting);
  if (!fresh.length) return;
  $('announce').textContent = announce(fresh[0]);
  chime.play();
  clearTimeout(blinkTimer);
  blinkTimer = window.setTimeout(() => document.querySelectorAll('.new').forEach((el) => el.classList.remove('new')), BLINK_MS);
}

function online(yes: boolean): void {
  $('offline').hidden = yes;
  document.body.classList.toggle('stale', !yes);
}

async function poll(id: string): Promise<void> {
  let failures = 0;
  for (;;) {
    const asked = Date.now();
    try {
      // After a failure, ask without `since`: the answer comes at once and clears the banner.
      const since = failures === 0 && last ? last.version : null;
      const b = await request<Board>(boardUrl(id, since), { signal: AbortSignal.timeout(POLL_TIMEOUT_MS) });
      failures = 0;
      online(true);
      const changed = !last || b.version !== last.version;
      if (changed) draw(b, newCalls(last, b));
      last = b;
      // A server answering an unchanged board at once must not make this loop spin.
      if (!changed && Date.now() - asked < 1000) await sleep(1000);
    } catch (e) {
      failures += 1;
      if (e instanceof ApiError && e.status === 404) {
        $('office').textContent = 'Không tìm thấy văn phòng · Unknown office';
        $('office-en').textContent = id;
      } else online(false);
      await sleep(backoffMs(failures));
    }
  }
}

function tick(): void {
  const now = new Date();
  $('clock').textContent = clock(now);
  $('date').textContent = vnDate(now);
}

$('sound').addEventListener('click', () => void chime.unlock().then(() => chime.play()));
// Any gesture on the page (a click, a key of the remote) unlocks the sound too.
for (const ev of ['pointerdown', 'keydown'] as const) document.addEventListener(ev, () => void chime.unlock(), { passive: true });
tick();
setInterval(tick, 1000);
if (office) void poll(office);
else $('office').textContent = 'Không rõ văn phòng · Unknown office';
