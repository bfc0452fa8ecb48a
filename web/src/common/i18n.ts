// The one i18n engine: every text is Vietnamese first, with English beside.
//
// - The staff pages (wall, console) show both at once: `bi(vi, en)` → "vi <span class=en>en</span>".
// - The public pages (portal, planning) show one language, switched by the `#lang` button and kept
//   in localStorage ('lang', shared by both pages). Their HTML names texts with data-t="key" and
//   placeholders with data-ph="key"; a page's table of texts maps each key to { vi, en }.

import { esc } from './dom';

export type Lang = 'vi' | 'en';

/** A text in both languages. */
export interface Text {
  vi: string;
  en: string;
}

/** "Vietnamese <span class=en>English</span>", escaped. */
export const bi = (vi: string, en: string) => `${esc(vi)} <span class="en">${esc(en)}</span>`;

/** A text in the chosen language. */
export function pick(t: Text, lang: Lang): string {
  return lang === 'vi' ? t.vi : t.en;
}

const KEY = 'lang';

/** The language chosen on this device (Vietnamese unless English was chosen). */
export function storedLang(storage: Pick<Storage, 'getItem'> = localStorage): Lang {
  return storage.getItem(KEY) === 'en' ? 'en' : 'vi';
}

/** Puts the texts of `texts` into the elements under `root` that name them (data-t, data-ph). */
export function applyTexts(root: ParentNode, texts: Readonly<Record<string, Text>>, lang: Lang): void {
  root.querySelectorAll<HTMLElement>('[data-t]').forEach((el) => {
    const t = texts[el.dataset.t!];
    if (t) el.textContent = t[lang];
  });
  root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('[data-ph]').forEach((el) => {
    const t = texts[el.dataset.ph!];
    if (t) el.placeholder = t[lang];
  });
}

/** The language of a public page and its table of texts. */
export class I18n<K extends string> {
  lang: Lang;

  constructor(readonly texts: Readonly<Record<K, Text>>, lang: Lang = storedLang()) {
    this.lang = lang;
  }

  /** The text `key` in the current language. */
  t(key: K): string {
    return this.texts[key][this.lang];
  }

  /** Any { vi, en } text in the current language. */
  pick(t: Text): string {
    return pick(t, this.lang);
  }

  /**
   * Switches the page to `lang`: kept in localStorage, set on <html lang>, the `#lang` button
   * offering the other language, and every data-t / data-ph element re-written.
   */
  set(lang: Lang, doc: Document = document, storage: Pick<Storage, 'setItem'> = localStorage): void {
    this.lang = lang;
    storage.setItem(KEY, lang);
    doc.documentElement.lang = lang;
    const button = doc.getElementById('lang');
    if (button) button.textContent = lang === 'vi' ? 'English' : 'Tiếng Việt';
    applyTexts(doc, this.texts, lang);
  }
}

/** A number as the language writes it: `4,5` in Vietnamese, `4.5` in English. */
export function num(x: number, lang: Lang): string {
  return x.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2 });
}

/** `2023-04-14` → `14/04/2023` (vi) or `14 Apr 2023` (en). */
export function day(iso: string, lang: Lang): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  if (lang === 'vi') return `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
}

/** A date and time in Vietnam time, as the language writes it (short). */
export function when(iso: string, lang: Lang): string {
  return new Date(iso).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' });
}
