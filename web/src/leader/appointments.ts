// The one-stop offices' figures on the leaders' page (GET /api/v1/stats/appointments, counts
// only — no citizen is ever named): bookings, shows and no-shows, queue numbers, waiting and
// service minutes, for the period shown; a table by office (names from the public list of
// offices), the busiest hours of the day, and the means of the visit survey's five questions.

import { esc } from '../common/dom';
import { get } from '../common/http';
import type { Lang } from '../common/i18n';
import type { SchemaOr } from '../common/types';
import { fmtNum, fmtRate } from './format';

export type VisitFigures = SchemaOr<'VisitFigures', {
  bookings: number; cancelled: number; served: number; no_show: number; show_rate?: number | null; no_show_rate?: number | null;
  numbers: number; wait_minutes?: number | null; service_minutes?: number | null; surveys: number; satisfaction?: number | null;
}>;
export type AppointmentFigures = SchemaOr<'AppointmentFigures', {
  from: string; to: string; total: VisitFigures; by_office: Record<string, VisitFigures>; by_service: Record<string, VisitFigures>;
  by_hour: Record<string, VisitFigures>; survey_means: Record<string, number>;
}>;
/** Only what the card needs of GET /api/v1/public/offices. */
export interface OfficeName { id: string; name: string; name_en?: string | null }

const T = {
  bookings: { vi: 'Lượt đặt lịch', en: 'Bookings' },
  cancelled: { vi: 'đã hủy', en: 'cancelled' },
  served: { vi: 'Đã phục vụ', en: 'Served' },
  noShow: { vi: 'Không đến', en: 'No-shows' },
  showRate: { vi: 'tỷ lệ đến', en: 'show rate' },
  noShowRate: { vi: 'tỷ lệ không đến', en: 'no-show rate' },
  numbers: { vi: 'Số thứ tự đã phát', en: 'Queue numbers given' },
  wait: { vi: 'Chờ trung bình', en: 'Mean wait' },
  service: { vi: 'Thời gian tại quầy', en: 'Mean time at the counter' },
  satisfaction: { vi: 'Mức hài lòng', en: 'Satisfaction' },
  surveys: { vi: 'phiếu đánh giá', en: 'surveys' },
  office: { vi: 'Văn phòng', en: 'Office' },
  byOffice: { vi: 'Theo văn phòng', en: 'By office' },
  byHour: { vi: 'Giờ đông nhất', en: 'Busiest hours' },
  visits: { vi: 'lượt', en: 'visits' },
  means: { vi: 'Đánh giá của người dân (1–5)', en: 'Citizens’ survey (1–5)' },
  noSurvey: { vi: 'Chưa có phiếu đánh giá nào trong kỳ.', en: 'No surveys in the period.' },
  none: { vi: 'Chưa có lượt đặt lịch hay lấy số nào trong kỳ.', en: 'No bookings or queue numbers in the period.' },
  minutes: { vi: 'phút', en: 'min' },
} as const;

/** The table's column heads, short. */
const HEAD = {
  bookings: { vi: 'Đặt lịch', en: 'Booked' },
  served: { vi: 'Đã phục vụ', en: 'Served' },
  noShow: { vi: 'Không đến', en: 'No-show' },
  showRate: { vi: 'Tỷ lệ đến', en: 'Show rate' },
  numbers: { vi: 'Lấy số', en: 'Numbers' },
  wait: { vi: 'Chờ TB', en: 'Wait' },
  satisfaction: { vi: 'Hài lòng', en: 'Satisfaction' },
} as const;

/** The survey's five questions, in the order the form asks them. */
export const SURVEY: readonly { key: string; vi: string; en: string }[] = [
  { key: 'access', vi: 'Tiếp cận dịch vụ', en: 'Access' },
  { key: 'procedure', vi: 'Thủ tục hành chính', en: 'Procedure' },
  { key: 'staff', vi: 'Công chức giải quyết công việc', en: 'Staff' },
  { key: 'timeliness', vi: 'Tiến độ, đúng hẹn', en: 'Timeliness' },
  { key: 'overall', vi: 'Hài lòng chung', en: 'Overall' },
];

export interface OfficeRow { id: string; name: string; figures: VisitFigures }

/** One row per office, busiest first (bookings and numbers), then by name; unknown ids keep their id. */
export function officeRows(byOffice: Readonly<Record<string, VisitFigures>>, offices: readonly OfficeName[], lang: Lang): OfficeRow[] {
  const names = new Map(offices.map((o) => [o.id, lang === 'en' && o.name_en ? o.name_en : o.name]));
  return Object.entries(byOffice)
    .map(([id, figures]) => ({ id, name: names.get(id) ?? id, figures }))
    .sort((a, b) => b.figures.bookings + b.figures.numbers - (a.figures.bookings + a.figures.numbers) || a.name.localeCompare(b.name, 'vi'));
}

/** The `n` busiest hours (bookings starting and numbers taken), busiest first, quiet hours left out. */
export function busiestHours(byHour: Readonly<Record<string, VisitFigures>>, n = 3): { hour: number; visits: number }[] {
  return Object.entries(byHour)
    .map(([h, f]) => ({ hour: Number(h), visits: f.bookings + f.numbers }))
    .filter((x) => Number.isInteger(x.hour) && x.visits > 0)
    .sort((a, b) => b.visits - a.visits || a.hour - b.hour)
    .slice(0, n);
}

/** The survey's means in the form's order, null where nobody answered. */
export function surveyRows(means: Readonly<Record<string, number>>): { key: string; vi: string; en: string; mean: number | null }[] {
  return SURVEY.map((q) => ({ ...q, mean: typeof means[q.key] === 'number' ? means[q.key] : null }));
}

const mins = (x: number | null | undefined, lang: Lang) => (x == null ? '—' : `${fmtNum(x, lang, 1)} ${T.minutes[lang]}`);
const stars = (x: number | null | undefined, lang: Lang) => (x == null ? '—' : `${fmtNum(x, lang, 2)}/5`);

/** The card's body. */
export function appointmentsHtml(f: AppointmentFigures, offices: readonly OfficeName[], lang: Lang): string {
  const t = f.total;
  if (t.bookings === 0 && t.numbers === 0 && t.surveys === 0) return `<p class="muted">${esc(T.none[lang])}</p>`;
  const kpi = (label: string, value: string, note = '') => `<div class="kpi"><b>${esc(value)}</b><span>${esc(label)}</span>${note ? `<small>${esc(note)}</small>` : ''}</div>`;
  const rows = officeRows(f.by_office, offices, lang)
    .map(({ id, name, figures: o }) => `<tr><td title="${esc(id)}">${esc(name)}</td><td class="num">${fmtNum(o.bookings, lang)}</td>
      <td class="num">${fmtNum(o.served, lang)}</td><td class="num">${fmtNum(o.no_show, lang)}</td><td class="num">${fmtRate(o.show_rate, lang)}</td>
      <td class="num">${fmtNum(o.numbers, lang)}</td><td class="num">${esc(mins(o.wait_minutes, lang))}</td><td class="num">${esc(stars(o.satisfaction, lang))}</td></tr>`)
    .join('');
  const hours = busiestHours(f.by_hour)
    .map((h) => `<li><b>${h.hour}:00–${h.hour + 1}:00</b> · ${fmtNum(h.visits, lang)} ${esc(T.visits[lang])}</li>`)
    .join('');
  const survey = surveyRows(f.survey_means);
  const surveyHtml = survey.some((s) => s.mean !== null)
    ? `<table><caption>${esc(T.means[lang])}</caption>${survey
      .map((s) => `<tr><td>${esc(s[lang])}</td><td class="num">${esc(stars(s.mean, lang))}</td></tr>`)
      .join('')}</table>`
    : `<p class="muted">${esc(T.noSurvey[lang])}</p>`;
  return `<div class="kpis">
      ${kpi(T.bookings[lang], fmtNum(t.bookings, lang), `${fmtNum(t.cancelled, lang)} ${T.cancelled[lang]}`)}
      ${kpi(T.served[lang], fmtNum(t.served, lang), `${T.showRate[lang]} ${fmtRate(t.show_rate, lang)}`)}
      ${kpi(T.noShow[lang], fmtNum(t.no_show, lang), `${T.noShowRate[lang]} ${fmtRate(t.no_show_rate, lang)}`)}
      ${kpi(T.numbers[lang], fmtNum(t.numbers, lang))}
      ${kpi(T.wait[lang], mins(t.wait_minutes, lang))}
      ${kpi(T.service[lang], mins(t.service_minutes, lang))}
      ${kpi(T.satisfaction[lang], stars(t.satisfaction, lang), `${fmtNum(t.surveys, lang)} ${T.surveys[lang]}`)}
    </div>
    <div class="desk-tables">
      <div class="scroll"><table class="offices"><caption>${esc(T.byOffice[lang])}</caption>
        <thead><tr><th>${esc(T.office[lang])}</th>${(['bookings', 'served', 'noShow', 'showRate', 'numbers', 'wait', 'satisfaction'] as const)
          .map((k) => `<th>${esc(HEAD[k][lang])}</th>`).join('')}</tr></thead>
        <tbody>${rows}</tbody></table></div>
      <div><p class="caption">${esc(T.byHour[lang])}</p>${hours ? `<ol class="hours-top">${hours}</ol>` : '<p class="muted">—</p>'}
        ${surveyHtml}</div>
    </div>`;
}

export function loadAppointments(from: string | null, to: string | null): Promise<AppointmentFigures> {
  const q = new URLSearchParams();
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  return get<AppointmentFigures>(`/api/v1/stats/appointments?${q}`);
}

/** The offices' names (public: no sign-in needed). */
export const loadOfficeNames = () => get<OfficeName[]>('/api/v1/public/offices');
