// The hotline desk's figures on the leaders' page: inquiry calls (questions answered without a
// ticket) by outcome, field and hour; the phone system's answered and missed calls; the callback
// list's promptness (GET /api/v1/stats/desk, counts only — no caller is ever named).

import { esc } from '../common/dom';
import { get } from '../common/http';
import type { Lang } from '../common/i18n';
import type { Schemas } from '../common/types';

export type DeskFigures = Schemas['DeskFigures'];

const T = {
  inquiries: { vi: 'Cuộc gọi hỏi đáp', en: 'Inquiry calls' },
  mean: { vi: 'thời lượng trung bình', en: 'mean length' },
  answered: { vi: 'Cuộc gọi được nghe', en: 'Calls answered' },
  missed: { vi: 'Cuộc gọi nhỡ', en: 'Missed calls' },
  callbacks: { vi: 'Yêu cầu gọi lại', en: 'Callbacks' },
  fromMissed: { vi: 'từ cuộc gọi nhỡ', en: 'from missed calls' },
  done: { vi: 'đã gọi lại', en: 'done' },
  onTime: { vi: 'đúng hẹn', en: 'on time' },
  open: { vi: 'đang chờ', en: 'waiting' },
  overdue: { vi: 'quá hẹn', en: 'overdue' },
  median: { vi: 'thời gian gọi lại (trung vị)', en: 'median time to call back' },
  byOutcome: { vi: 'Theo kết quả', en: 'By outcome' },
  byField: { vi: 'Theo lĩnh vực thủ tục', en: 'By field of procedure' },
  byHour: { vi: 'Theo giờ trong ngày', en: 'By hour of the day' },
  noField: { vi: 'Không gắn thủ tục', en: 'No procedure' },
  none: { vi: 'Chưa có cuộc gọi hỏi đáp nào trong kỳ.', en: 'No inquiry calls in the period.' },
} as const;

const OUTCOME: Record<string, { vi: string; en: string }> = {
  answered: { vi: 'Đã trả lời', en: 'Answered' },
  transferred: { vi: 'Chuyển phòng ban', en: 'Transferred' },
  callback: { vi: 'Cần gọi lại', en: 'Callback' },
  appointment: { vi: 'Cần đặt lịch hẹn', en: 'Appointment' },
  ticket_filed: { vi: 'Đã tạo phiếu', en: 'Ticket filed' },
};

const mmss = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;
const minutes = (m: number, lang: Lang) => (m < 90 ? `${Math.round(m)} ${lang === 'vi' ? 'phút' : 'min'}` : `${(m / 60).toFixed(1)} ${lang === 'vi' ? 'giờ' : 'h'}`);

/** The card's body. */
export function deskHtml(f: DeskFigures, lang: Lang): string {
  const pct = (n: number, of: number) => (of ? ` (${Math.round((100 * n) / of)}%)` : '');
  const kpi = (label: string, value: string, note = '') => `<div class="kpi"><b>${esc(value)}</b><span>${esc(label)}</span>${note ? `<small>${esc(note)}</small>` : ''}</div>`;
  const peak = Math.max(1, ...f.by_hour);
  const hours = f.by_hour
    .map((n, h) => `<span class="bar" style="height:${Math.round((100 * n) / peak)}%" title="${h}:00 — ${n}"></span>`)
    .join('');
  const rows = (list: { name: string; count: number }[], name: (n: string) => string) =>
    list.map((c) => `<tr><td>${esc(name(c.name))}</td><td class="num">${c.count}${pct(c.count, f.inquiries)}</td></tr>`).join('');
  return `<div class="kpis">
      ${kpi(T.inquiries[lang], String(f.inquiries), f.mean_duration_seconds != null ? `${T.mean[lang]} ${mmss(f.mean_duration_seconds)}` : '')}
      ${kpi(T.answered[lang], String(f.calls_answered))}
      ${kpi(T.missed[lang], String(f.calls_missed))}
      ${kpi(T.callbacks[lang], String(f.callbacks), `${f.callbacks_from_missed_calls} ${T.fromMissed[lang]}`)}
      ${kpi(T.done[lang], `${f.callbacks_done}${pct(f.callbacks_done, f.callbacks)}`, `${f.callbacks_done_on_time} ${T.onTime[lang]}`)}
      ${kpi(T.open[lang], String(f.callbacks_open), `${f.callbacks_overdue} ${T.overdue[lang]}`)}
      ${f.median_minutes_to_callback != null ? kpi(T.median[lang], minutes(f.median_minutes_to_callback, lang)) : ''}
    </div>
    ${f.inquiries === 0 ? `<p class="muted">${T.none[lang]}</p>` : `<div class="desk-tables">
      <table><caption>${T.byOutcome[lang]}</caption>${rows(f.by_outcome, (n) => OUTCOME[n]?.[lang] ?? n)}</table>
      <table><caption>${T.byField[lang]}</caption>${rows(f.by_field, (n) => n || T.noField[lang])}</table>
      <figure class="hours"><figcaption>${T.byHour[lang]}</figcaption><div class="bars">${hours}</div><div class="axis"><span>0h</span><span>12h</span><span>23h</span></div></figure>
    </div>`}`;
}

export const loadDesk = (from: string | null, to: string | null) => {
  const q = new URLSearchParams();
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  return get<DeskFigures>(`/api/v1/stats/desk?${q}`);
};
