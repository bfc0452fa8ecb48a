import { describe, expect, it } from 'vitest';
import { I18n, applyTexts, bi, day, num, pick, storedLang, type Text } from './i18n';

/** Just enough of an element for applyTexts. */
function el(data: Record<string, string>) {
  return { dataset: data, textContent: '', placeholder: '' };
}

function root(els: ReturnType<typeof el>[]): ParentNode {
  return {
    querySelectorAll: (sel: string) => els.filter((e) => (sel === '[data-t]' ? 't' in e.dataset : 'ph' in e.dataset)),
  } as unknown as ParentNode;
}

const TEXTS = {
  track: { vi: 'Tra cứu', en: 'Track' },
  searchPh: { vi: 'Tìm địa điểm, đường phố, phường…', en: 'Find a place, street or ward…' },
} satisfies Record<string, Text>;

describe('texts in two languages', () => {
  it('picks Vietnamese or English', () => {
    expect(pick(TEXTS.track, 'vi')).toBe('Tra cứu');
    expect(pick(TEXTS.track, 'en')).toBe('Track');
    const i18n = new I18n(TEXTS, 'en');
    expect(i18n.t('track')).toBe('Track');
    expect(i18n.pick({ vi: 'Mở lại', en: 'Reopened' })).toBe('Reopened');
  });

  it('is Vietnamese unless English was chosen on this device', () => {
    expect(storedLang({ getItem: () => null })).toBe('vi');
    expect(storedLang({ getItem: () => 'en' })).toBe('en');
    expect(storedLang({ getItem: () => 'fr' })).toBe('vi');
  });

  it('writes the texts and placeholders the page names, leaving unknown keys alone', () => {
    const title = el({ t: 'track' });
    const input = el({ ph: 'searchPh' });
    const other = el({ t: 'nope' });
    other.textContent = 'as it was';
    applyTexts(root([title, input, other]), TEXTS, 'vi');
    expect(title.textContent).toBe('Tra cứu');
    expect(input.placeholder).toBe('Tìm địa điểm, đường phố, phường…');
    expect(other.textContent).toBe('as it was');
    applyTexts(root([title, input]), TEXTS, 'en');
    expect(title.textContent).toBe('Track');
  });

  it('shows both languages on the staff pages, escaped', () => {
    expect(bi('Quá hạn', 'overdue')).toBe('Quá hạn <span class="en">overdue</span>');
    expect(bi('<b>', '&')).toBe('&#60;b&#62; <span class="en">&#38;</span>');
  });
});

describe('formats', () => {
  it('writes numbers and dates as each language does', () => {
    expect(num(4.5, 'vi')).toBe('4,5');
    expect(num(4.5, 'en')).toBe('4.5');
    expect(day('2023-04-14', 'vi')).toBe('14/04/2023');
    expect(day('2023-04-14', 'en')).toBe('14 Apr 2023');
  });
});
