// The clerk's counter page (`/counter`): today's queue of the office, the number called at this
// counter, "call next", served / no-show / transfer, and check-in of a booking by its code —
// typed, or read from its QR code with the camera (jsQR on the video's frames).

import jsQR from 'jsqr';
import { $, esc } from '../common/dom';
import { ApiError, get, send } from '../common/http';
import { signedIn } from '../common/signin';
import type { components } from '../api.gen';
import { bookingCode, current, currentHtml, queueHtml, type NumberView } from './queue';
import './counter.css';

type Office = components['schemas']['Office'];
type CheckedIn = components['schemas']['CheckedIn'];

const officeSel = $<HTMLSelectElement>('office');
const counterSel = $<HTMLSelectElement>('counter');
let offices: Office[] = [];
let list: NumberView[] = [];

const base = () => `/api/v1/offices/${encodeURIComponent(officeSel.value)}`;
const counter = () => Number(counterSel.value);

function showError(e: unknown): void {
  $('error').textContent = e instanceof ApiError ? e.message : 'Lỗi kết nối, xin thử lại · Connection error';
}

function fillCounters(): void {
  const o = offices.find((x) => x.id === officeSel.value);
  const n = o?.counters ?? 1;
  const keep = localStorage.getItem('counter.counter') ?? '1';
  const options = Array.from({ length: n }, (_, i) => `<option>${i + 1}</option>`).join('');
  counterSel.innerHTML = options;
  $<HTMLSelectElement>('to-counter').innerHTML = options;
  counterSel.value = Number(keep) <= n ? keep : '1';
  $<HTMLAnchorElement>('board-link').href = `/display/${encodeURIComponent(officeSel.value)}`;
}

async function refresh(): Promise<void> {
  if (!officeSel.value) return;
  try {
    list = await get<NumberView[]>(`${base()}/queue`);
    $('queue').innerHTML = queueHtml(list);
    const now = current(list, counter());
    $('current').innerHTML = currentHtml(now);
    for (const id of ['served', 'no-show', 'transfer']) $<HTMLButtonElement>(id).disabled = !now;
  } catch (e) {
    showError(e);
  }
}

async function act(run: () => Promise<unknown>): Promise<void> {
  $('error').textContent = '';
  try {
    await run();
  } catch (e) {
    showError(e);
  }
  await refresh();
}

async function callNext(): Promise<void> {
  const n = await send<NumberView | null>('POST', `${base()}/counters/${counter()}/next`);
  if (!n) $('error').textContent = 'Không còn ai chờ · Nobody is waiting';
}

function finish(outcome: 'served' | 'no_show' | 'transferred'): Promise<unknown> {
  const n = current(list, counter());
  if (!n) return Promise.resolve();
  const to_counter = outcome === 'transferred' ? Number($<HTMLSelectElement>('to-counter').value) : undefined;
  return send('POST', `${base()}/queue/${n.id}/finish`, { outcome, to_counter });
}

async function checkIn(raw: string): Promise<void> {
  const code = bookingCode(raw);
  if (!code) {
    $('error').textContent = 'Mã đặt lịch có dạng LH-XXXXXX · A booking code looks like LH-XXXXXX';
    return;
  }
  await act(async () => {
    const r = await send<CheckedIn>('POST', `${base()}/checkin`, { code });
    const when = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit' }).format(new Date(r.booking.starts_at));
    $('checked').innerHTML = '';
    const p = document.createElement('p');
    p.className = 'checked';
    p.textContent = `${r.number.label} — ${r.booking.name} · ${r.booking.service_name} · ${when} (${r.booking.code})`;
    $('checked').append(p);
    $<HTMLInputElement>('code').value = '';
  });
}

let stream: MediaStream | null = null;
function stopScan(): void {
  stream?.getTracks().forEach((t) => t.stop());
  stream = null;
  $('camera').hidden = true;
}

async function scan(): Promise<void> {
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
  } catch {
    $('error').textContent = 'Không mở được camera · The camera could not be opened';
    return;
  }
  const video = $<HTMLVideoElement>('video');
  video.srcObject = stream;
  await video.play();
  $('camera').hidden = false;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const frame = () => {
    if (!stream) return;
    if (video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      ctx.drawImage(video, 0, 0);
      const hit = jsQR(ctx.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
      const code = hit && bookingCode(hit.data);
      if (code) {
        stopScan();
        $<HTMLInputElement>('code').value = code;
        void checkIn(code);
        return;
      }
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

async function start(): Promise<void> {
  const user = await signedIn();
  $('who').textContent = user.display_name;
  const all = await get<Office[]>('/api/v1/offices');
  const mine = user.offices ?? [];
  offices = user.role === 'admin' ? all : all.filter((o) => mine.includes(o.id));
  officeSel.innerHTML = offices.map((o) => `<option value="${esc(o.id)}">${esc(o.name)}</option>`).join('');
  const saved = localStorage.getItem('counter.office');
  if (saved && offices.some((o) => o.id === saved)) officeSel.value = saved;
  fillCounters();
  officeSel.addEventListener('change', () => {
    localStorage.setItem('counter.office', officeSel.value);
    fillCounters();
    void refresh();
  });
  counterSel.addEventListener('change', () => {
    localStorage.setItem('counter.counter', counterSel.value);
    void refresh();
  });
  $('next').addEventListener('click', () => void act(callNext));
  $('served').addEventListener('click', () => void act(() => finish('served')));
  $('no-show').addEventListener('click', () => void act(() => finish('no_show')));
  $('transfer').addEventListener('click', () => void act(() => finish('transferred')));
  $('checkin').addEventListener('submit', (e) => {
    e.preventDefault();
    void checkIn($<HTMLInputElement>('code').value);
  });
  $('scan').addEventListener('click', () => void scan());
  $('stop-scan').addEventListener('click', stopScan);
  await refresh();
  setInterval(() => void refresh(), 3000);
}

void start();
