import { describe, expect, it } from 'vitest';
import { chipsHtml, suggester, type CategorySuggestion, type SuggestResponse } from './categoryChips';

const garbage: CategorySuggestion = { code: 'garbage-uncollected', field: 'environment', name_vi: 'Rác thải sinh hoạt không được thu gom', name_en: 'Household garbage not collected', confidence: 0.874 };
const dumping: CategorySuggestion = { code: 'illegal-dumping', field: 'environment', name_vi: 'Vứt, đổ rác không đúng nơi quy định', name_en: 'Illegal dumping of garbage', confidence: 0.08 };

/** Timers run by hand. */
function manual() {
  let queued: (() => void)[] = [];
  const timers = {
    set: ((fn: () => void) => {
      queued.push(fn);
      return queued.length as unknown as ReturnType<typeof setTimeout>;
    }) as unknown as typeof setTimeout,
    clear: ((id?: ReturnType<typeof setTimeout>) => {
      if (id !== undefined) queued[(id as unknown as number) - 1] = () => {};
    }) as unknown as typeof clearTimeout,
  };
  return { timers, run: () => { const q = queued; queued = []; q.forEach((f) => f()); } };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('category chips', () => {
  it('shows both languages, the percentage and marks the chosen one, escaping names', () => {
    const html = chipsHtml([garbage, { ...dumping, name_vi: '<b>x</b>' }], 'illegal-dumping');
    expect(html).toContain('Rác thải sinh hoạt không được thu gom <span class="en">Household garbage not collected</span>');
    expect(html).toContain('87 %');
    expect(html).toContain('data-code="illegal-dumping" aria-pressed="true"');
    expect(html).toContain('data-code="garbage-uncollected" aria-pressed="false"');
    expect(html).not.toContain('<b>x</b>');
    expect(chipsHtml([], null)).toBe('');
  });

  it('asks once after a burst of typing, and only for a text long enough', async () => {
    const asked: string[] = [];
    const shown: CategorySuggestion[][] = [];
    const { timers, run } = manual();
    const fetch = (t: string) => { asked.push(t); return Promise.resolve<SuggestResponse>({ suggestions: [garbage, dumping, garbage, dumping], threshold: 0.5 }); };
    const onInput = suggester(fetch, (l) => shown.push(l), 350, timers);
    onInput('rác');
    expect(shown).toEqual([[]]);
    onInput('rác ko ai');
    onInput('rác ko ai thu gom  ');
    run();
    await tick();
    expect(asked).toEqual(['rác ko ai thu gom']);
    expect(shown[1]).toHaveLength(3);
  });

  it('drops the answer to a text changed meanwhile', async () => {
    const shown: string[][] = [];
    const { timers, run } = manual();
    let answer: (r: SuggestResponse) => void = () => {};
    const fetch = () => new Promise<SuggestResponse>((r) => { answer = r; });
    const onInput = suggester(fetch, (l) => shown.push(l.map((s) => s.code)), 350, timers);
    onInput('đèn đường hư');
    run();
    const first = answer;
    onInput('đèn đường hư rồi, tối om');
    run();
    first({ suggestions: [dumping], threshold: 0.5 });
    await tick();
    expect(shown).toEqual([]);
    answer({ suggestions: [garbage], threshold: 0.5 });
    await tick();
    expect(shown).toEqual([['garbage-uncollected']]);
  });
});
