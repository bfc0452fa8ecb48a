// Category suggestions as clickable chips under a free-text field (issue 14): while the user
// types, the text is sent (debounced) to POST /api/v1/categories/suggest and the top three
// categories are shown, Vietnamese first with English; clicking one picks that category.

import { esc } from './dom';
import { send } from './http';

export interface CategorySuggestion {
  code: string;
  field: string;
  name_vi: string;
  name_en: string;
  confidence: number;
}

export interface SuggestResponse {
  suggestions: CategorySuggestion[];
  threshold: number;
}

/** Texts shorter than this (folded, trimmed) are not sent: too little to suggest from. */
export const MIN_CHARS = 6;
/** The server refuses longer texts; only the beginning is sent. */
export const MAX_CHARS = 2000;

export const fetchSuggestions = (text: string) => send<SuggestResponse>('POST', '/api/v1/categories/suggest', { text });

/** The chips' HTML: one button per suggestion, its code in `data-code`, the chosen one marked. */
export function chipsHtml(list: readonly CategorySuggestion[], chosen: string | null): string {
  if (list.length === 0) return '';
  const chips = list.map((s) => {
    const pct = Math.round(s.confidence * 100);
    const on = s.code === chosen ? ' aria-pressed="true"' : ' aria-pressed="false"';
    return `<button type="button" class="chip" data-code="${esc(s.code)}"${on} title="${pct} %">${esc(s.name_vi)} <span class="en">${esc(s.name_en)}</span> <small>${pct} %</small></button>`;
  });
  return `<span class="chips-label">Gợi ý lĩnh vực <span class="en">suggested categories</span>:</span> ${chips.join(' ')}`;
}

/**
 * Sends the text after `delayMs` of quiet and hands the answer to `show`, dropping answers to
 * texts that were changed meanwhile (only the latest text's suggestions are shown). Returns the
 * function to call on every input.
 */
export function suggester(
  fetch: (text: string) => Promise<SuggestResponse>,
  show: (list: CategorySuggestion[]) => void,
  delayMs = 350,
  timers: { set: typeof setTimeout; clear: typeof clearTimeout } = { set: setTimeout, clear: clearTimeout },
): (text: string) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  return (text: string) => {
    timers.clear(timer);
    const n = ++latest;
    const t = text.trim().slice(0, MAX_CHARS);
    if (t.length < MIN_CHARS) {
      show([]);
      return;
    }
    timer = timers.set(() => {
      fetch(t).then(
        (r) => {
          if (n === latest) show(r.suggestions.slice(0, 3));
        },
        () => {
          if (n === latest) show([]);
        },
      );
    }, delayMs);
  };
}

/** Wires chips into `box` for the text of `input`; `pick(code)` when one is clicked. */
export function attachChips(
  input: HTMLTextAreaElement | HTMLInputElement,
  box: HTMLElement,
  pick: (code: string) => void,
  chosen: () => string | null,
): void {
  let list: CategorySuggestion[] = [];
  const render = () => {
    box.innerHTML = chipsHtml(list, chosen());
  };
  const onInput = suggester(fetchSuggestions, (l) => {
    list = l;
    render();
  });
  input.addEventListener('input', () => onInput(input.value));
  box.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-code]');
    if (!b?.dataset.code) return;
    pick(b.dataset.code);
    render();
  });
}
