// The office's display board (`/display/{office}`): a TV in the waiting room. It long-polls the
// board (`?since=version`), shows the number called at each counter in large type, blinks and
// chimes on a new call, and through a network blip keeps the last board and says it is
// reconnecting. Labels and counters only: the API sends no personal data.

import { $, esc } from '../common/dom';
import { get } from '../common/http';
import { clock, officeFromPath } from '../common/offices';
import { backoffMs, newCalls, waitingText, type Board, type BoardCall } from './board';
import './display.css';

const office = officeFromPath(location.pathname);
let audio: AudioContext | null = null;
let last: Board | null = null;

/** A two-tone chime ("ding-dong") from oscillators: no sound file to load. */
function chime(): void {
  if (!audio || audio.state !== 'running') return;
  const t = audio.currentTime;
  for (const [freq, at] of [[880, 0], [660, 0.35]] as const) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t + at);
    gain.gain.exponentialRampToValueAtTime(0.4, t + at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + at + 0.6);
    osc.connect(gain).connect(audio.destination);
    osc.start(t + at);
    osc.stop(t + at + 0.65);
  }
}

function draw(b: Board, fresh: BoardCall[]): void {
  $('office').textContent = b.office.name;
  $('office-en').textContent = b.office.name_en ?? '';
  document.title = `${b.office.name} — Bảng gọi số`;
  const isNew = (c: BoardCall) => fresh.some((f) => f.counter === c.counter && f.label === c.label && f.called_at === c.called_at);
  $('serving').querySelector('tbody')!.innerHTML = b.serving
    .map((c) => `<tr class="${isNew(c) ? 'new' : ''}" data-counter="${c.counter}"><td>${c.counter}</td><td class="label">${esc(c.label)}</td></tr>`)
    .join('') || '<tr><td colspan="2" class="muted">Chưa gọi số · No number called yet</td></tr>';
  $('recent').innerHTML = b.recent
    .map((c) => `<li class="${isNew(c) ? 'new' : ''}"><b>${esc(c.label)}</b> → ${c.counter}</li>`)
    .join('');
  $('waiting').textContent = waitingText(b.waiting);
  if (fresh.length) chime();
}

async function poll(): Promise<void> {
  if (!office) {
    $('office').textContent = 'Không rõ văn phòng · Unknown office';
    return;
  }
  let failures = 0;
  for (;;) {
    try {
      const since = last ? `?since=${last.version}` : '';
      const b = await get<Board>(`/api/v1/public/offices/${encodeURIComponent(office)}/display${since}`);
      failures = 0;
      $('offline').hidden = true;
      document.body.classList.remove('stale');
      if (!last || b.version !== last.version) draw(b, newCalls(last, b));
      last = b;
    } catch {
      failures += 1;
      $('offline').hidden = false;
      document.body.classList.add('stale');
      await new Promise((r) => setTimeout(r, backoffMs(failures)));
    }
  }
}

$('sound').addEventListener('click', async () => {
  audio ??= new AudioContext();
  await audio.resume();
  $('sound').hidden = audio.state === 'running';
  chime();
});
const tick = () => ($('clock').textContent = clock(new Date()));
tick();
setInterval(tick, 1000);
void poll();
