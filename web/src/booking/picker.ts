// The day and slot choice, shared by the stepper and the reschedule of a booking: the office's
// bookable days as buttons, then the slots of the chosen day with their free places.

import type { Lang } from '../common/i18n';
import * as api from './api';
import { bookableDays } from './calendar';
import { TEXTS } from './texts';
import type { Office, Service, Slot, SlotDay } from './types';
import { daysHtml, slotsHtml } from './view';

export class SlotPicker {
  office: Office | null = null;
  service: Service | null = null;
  day: string | null = null;
  slot: Slot | null = null;
  data: SlotDay | null = null;
  /** Answers to older slot requests are dropped when a newer one was sent. */
  private asked = 0;

  constructor(
    private readonly daysEl: HTMLElement,
    private readonly slotsEl: HTMLElement,
    private readonly lang: () => Lang,
    /** Called when a day is chosen (before its slots load) and when a slot is chosen. */
    private readonly onChange: (what: 'day' | 'slot') => void,
  ) {
    daysEl.addEventListener('click', (e) => {
      const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-day]');
      if (b) void this.pickDay(b.dataset.day!);
    });
    slotsEl.addEventListener('click', (e) => {
      const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-slot]');
      if (!b || b.disabled) return;
      this.slot = this.data?.slots.find((s) => s.starts_at === b.dataset.slot) ?? null;
      this.renderSlots();
      if (this.slot) this.onChange('slot');
    });
  }

  /** Starts over at `office`'s `service`: the days shown, none chosen. */
  use(office: Office, service: Service): void {
    this.office = office;
    this.service = service;
    this.day = null;
    this.slot = null;
    this.data = null;
    this.render();
  }

  async pickDay(day: string): Promise<void> {
    this.day = day;
    this.slot = null;
    this.data = null;
    this.renderDays();
    this.onChange('day');
    await this.reload();
  }

  /** Loads the chosen day's slots again (after a slot was taken, or a failure). */
  async reload(): Promise<void> {
    if (!this.office || !this.service || !this.day) return;
    const n = ++this.asked;
    const lang = this.lang();
    this.slotsEl.innerHTML = `<p class="muted" role="status">${TEXTS.loading[lang]}</p>`;
    try {
      const data = await api.slots(this.office.id, this.service.id, this.day);
      if (n !== this.asked) return;
      this.data = data;
      if (this.slot && !data.slots.some((s) => s.starts_at === this.slot!.starts_at && s.free > 0)) this.slot = null;
    } catch {
      if (n !== this.asked) return;
      this.slotsEl.innerHTML = `<p class="error" role="alert">${TEXTS.failed[lang]} <button type="button" data-retry>${TEXTS.retry[lang]}</button></p>`;
      this.slotsEl.querySelector('[data-retry]')?.addEventListener('click', () => void this.reload());
      return;
    }
    this.renderSlots();
  }

  renderDays(): void {
    if (!this.office) return;
    this.daysEl.innerHTML = daysHtml(bookableDays(new Date(), this.office.days_ahead, this.lang()), this.day, this.lang());
  }

  renderSlots(): void {
    if (this.data) this.slotsEl.innerHTML = slotsHtml(this.data, this.slot?.starts_at ?? null, this.lang());
    else if (!this.day) this.slotsEl.innerHTML = '';
  }

  render(): void {
    this.renderDays();
    this.renderSlots();
  }
}
