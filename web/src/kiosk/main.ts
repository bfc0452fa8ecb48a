// The office's kiosk (`/kiosk/{office}`): a touch screen at the door. One button per service,
// a priority choice (the elderly, people with disabilities, pregnant women); pressing takes a
// number (`POST …/queue` with `kiosk: true`), shows it large and prints it, then returns to the
// start after 15 s.

import { $, esc } from '../common/dom';
import { ApiError, get, send } from '../common/http';
import { clock, officeFromPath } from '../common/offices';
import type { components } from '../api.gen';
import './kiosk.css';

type Office = components['schemas']['PublicOffice'];
type NumberView = components['schemas']['NumberView'];

const office = officeFromPath(location.pathname);
let reset: number | undefined;

function back(): void {
  $('ticket').hidden = true;
  $('choose').hidden = false;
  ($('priority').querySelector('input[value=""]') as HTMLInputElement).checked = true;
}

async function take(o: Office, service: string): Promise<void> {
  const priority = ($('priority').querySelector('input:checked') as HTMLInputElement).value || undefined;
  $('error').textContent = '';
  try {
    const n = await send<NumberView>('POST', `/api/v1/public/offices/${encodeURIComponent(o.id)}/queue`, { service, priority, kiosk: true }, { 'Idempotency-Key': crypto.randomUUID() });
    const svc = o.services.find((s) => s.id === service);
    document.querySelector('#ticket .office-name')!.textContent = o.name;
    $('label').textContent = n.label;
    $('service-name').textContent = svc?.name ?? service;
    $('ahead').innerHTML = `${n.position} người trước quý vị · ${n.position} ahead — ~${n.wait_minutes} phút · min`;
    $('issued').textContent = clock(new Date(n.issued_at));
    $('choose').hidden = true;
    $('ticket').hidden = false;
    window.print();
    clearTimeout(reset);
    reset = window.setTimeout(back, 15_000);
  } catch (e) {
    $('error').textContent = e instanceof ApiError ? (e.problem?.detail ?? e.message) : 'Không lấy được số, xin thử lại · Please try again';
  }
}

async function start(): Promise<void> {
  const offices = await get<Office[]>('/api/v1/public/offices');
  const o = offices.find((x) => x.id === office);
  if (!o) {
    $('office').textContent = 'Không rõ văn phòng · Unknown office';
    return;
  }
  $('office').textContent = o.name;
  $('services').innerHTML = o.services
    .map((s) => `<button type="button" data-service="${esc(s.id)}">${esc(s.name)}${s.name_en ? `<span class="en">${esc(s.name_en)}</span>` : ''}</button>`)
    .join('');
  $('services').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLElement>('button[data-service]');
    if (b) void take(o, b.dataset.service!);
  });
  $('done').addEventListener('click', back);
}

void start();
