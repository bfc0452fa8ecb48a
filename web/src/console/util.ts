// Small DOM helpers of the console's panels (the shared ones are in common/dom.ts).

import { $ } from '../common/dom';

/** A short message at the bottom of the screen, with an optional button, gone after `ms`. */
export function toast(html: string, action?: { label: string; run: () => void }, ms = 8000): void {
  const box = $('toasts');
  const el = document.createElement('div');
  el.className = 'toast';
  el.setAttribute('role', 'status');
  el.innerHTML = html;
  if (action) {
    const b = document.createElement('button');
    b.type = 'button';
    b.innerHTML = action.label;
    b.addEventListener('click', () => {
      el.remove();
      action.run();
    });
    el.append(' ', b);
  }
  box.prepend(el);
  setTimeout(() => el.remove(), ms);
}

/** A local date-time for `<input type=datetime-local step=1>` ("2026-11-22T08:30:05"). */
export function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
