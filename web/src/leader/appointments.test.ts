import { describe, expect, it } from 'vitest';
import { appointmentsHtml, busiestHours, officeRows, surveyRows, type AppointmentFigures, type VisitFigures } from './appointments';

const fig = (o: Partial<VisitFigures> = {}): VisitFigures => ({
  bookings: 0, cancelled: 0, served: 0, no_show: 0, show_rate: null, no_show_rate: null, numbers: 0,
  wait_minutes: null, service_minutes: null, surveys: 0, satisfaction: null, ...o,
});

const offices = [
  { id: 'DN-HCC', name: 'Trung tâm Phục vụ hành chính công', name_en: 'Public Administration Service Centre' },
  { id: 'DN-HC-MC', name: 'Bộ phận một cửa quận Hải Châu', name_en: 'Hai Chau One-Stop Counter' },
];

const f: AppointmentFigures = {
  from: '2026-11-06', to: '2026-12-05',
  total: fig({ bookings: 12, cancelled: 1, served: 8, no_show: 2, show_rate: 0.8, no_show_rate: 0.2, numbers: 30, wait_minutes: 12.25, service_minutes: 7.5, surveys: 4, satisfaction: 4.25 }),
  by_office: {
    'DN-HC-MC': fig({ bookings: 2, numbers: 25, served: 2, show_rate: 1, wait_minutes: 15 }),
    'DN-HCC': fig({ bookings: 10, numbers: 5, served: 6, no_show: 2, show_rate: 0.75, satisfaction: 4.25 }),
    'DN-OLD': fig({ bookings: 1 }),
  },
  by_service: { 'DN-HCC/dat-dai': fig({ bookings: 10 }) },
  by_hour: { '7': fig({ bookings: 2, numbers: 3 }), '9': fig({ bookings: 4, numbers: 10 }), '14': fig({ bookings: 5 }), '16': fig(), '8': fig({ numbers: 5 }) },
  survey_means: { access: 4.5, procedure: 4, staff: 4.75, timeliness: 3.5, overall: 4.25 },
};

describe('the offices card on the leaders page', () => {
  it('names the offices, busiest first, keeping an unknown id', () => {
    const rows = officeRows(f.by_office, offices, 'vi');
    expect(rows.map((r) => r.name)).toEqual(['Bộ phận một cửa quận Hải Châu', 'Trung tâm Phục vụ hành chính công', 'DN-OLD']);
    expect(officeRows(f.by_office, offices, 'en')[0].name).toBe('Hai Chau One-Stop Counter');
  });

  it('finds the busiest hours, ties by the earlier hour, quiet ones left out', () => {
    expect(busiestHours(f.by_hour)).toEqual([{ hour: 9, visits: 14 }, { hour: 7, visits: 5 }, { hour: 8, visits: 5 }]);
    expect(busiestHours(f.by_hour, 10).map((h) => h.hour)).not.toContain(16);
  });

  it('keeps the survey in the form’s order, null where nobody answered', () => {
    expect(surveyRows(f.survey_means).map((s) => s.key)).toEqual(['access', 'procedure', 'staff', 'timeliness', 'overall']);
    expect(surveyRows({}).every((s) => s.mean === null)).toBe(true);
  });

  it('shows the totals, the table, the hours and the means in Vietnamese and in English', () => {
    const vi = appointmentsHtml(f, offices, 'vi');
    expect(vi).toContain('Lượt đặt lịch');
    expect(vi).toContain('<b>12</b>');
    expect(vi).toContain('tỷ lệ đến 80,0%');
    expect(vi).toContain('12,3 phút');
    expect(vi).toContain('Bộ phận một cửa quận Hải Châu');
    expect(vi).toContain('<b>9:00–10:00</b> · 14 lượt');
    expect(vi).toContain('Tiếp cận dịch vụ');
    expect(vi).toContain('4,75/5');
    const en = appointmentsHtml(f, offices, 'en');
    expect(en).toContain('No-shows');
    expect(en).toContain('show rate 80.0%');
    expect(en).toContain('Busiest hours');
  });

  it('says when the period had nothing, and shows no survey when nobody answered', () => {
    const empty = { ...f, total: fig(), by_office: {}, by_hour: {}, survey_means: {} };
    expect(appointmentsHtml(empty, offices, 'vi')).toContain('Chưa có lượt đặt lịch');
    expect(appointmentsHtml({ ...f, survey_means: {} }, offices, 'vi')).toContain('Chưa có phiếu đánh giá');
  });
});
