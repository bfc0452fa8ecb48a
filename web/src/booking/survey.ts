// The visit survey (after a booking was served, or a queue number): five scores 1–5 and a
// comment. `readSurvey` is pure (tested); `mountSurvey` draws the form and sends it once.

import { $ } from '../common/dom';
import { ApiError } from '../common/http';
import type { I18n } from '../common/i18n';
import * as api from './api';
import type { Key } from './texts';
import { SCORE_KEYS, type Scores } from './types';
import { surveyHtml } from './view';

/** The scores and comment of the filled form, or null when a question is left unanswered. */
export function readSurvey(values: Record<string, string | null | undefined>): { scores: Scores; comment: string } | null {
  const scores = {} as Scores;
  for (const k of SCORE_KEYS) {
    const n = Number(values[k]);
    if (!Number.isInteger(n) || n < 1 || n > 5) return null;
    scores[k] = n;
  }
  return { scores, comment: (values.comment ?? '').trim() };
}

/** Draws the survey into `host` and sends it; `done` when answered (now or before). */
export function mountSurvey(host: HTMLElement, i18n: I18n<Key>, code: string, token: string): { redraw: () => void } {
  let answered: 'thanks' | 'answered' | null = null;
  /** Redraws in the current language, keeping what was already filled in. */
  const draw = () => {
    const old = host.querySelector<HTMLFormElement>('form#survey');
    const kept = old ? new FormData(old) : null;
    host.innerHTML = answered ? `<p class="notice" role="status">${i18n.t(answered)}</p>` : surveyHtml(i18n.lang);
    const form = host.querySelector<HTMLFormElement>('form#survey');
    if (form) kept?.forEach((v, k) => {
      if (k === 'comment') form.querySelector<HTMLTextAreaElement>('textarea[name=comment]')!.value = String(v);
      else form.querySelector<HTMLInputElement>(`input[name="${k}"][value="${String(v)}"]`)?.setAttribute('checked', '');
    });
  };
  host.addEventListener('submit', async (e) => {
    const form = (e.target as HTMLElement).closest<HTMLFormElement>('form#survey');
    if (!form) return;
    e.preventDefault();
    const data = new FormData(form);
    const values: Record<string, string> = {};
    data.forEach((v, k) => (values[k] = String(v)));
    const filled = readSurvey(values);
    if (!filled) {
      $('survey-error').textContent = i18n.t('needScores');
      return;
    }
    const button = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
    button.disabled = true;
    try {
      await api.survey({ code, token, scores: filled.scores, ...(filled.comment ? { comment: filled.comment } : {}) });
      answered = 'thanks';
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) answered = 'answered';
      else {
        $('survey-error').textContent = err instanceof ApiError ? err.message : i18n.t('failed');
        button.disabled = false;
        return;
      }
    }
    draw();
  });
  draw();
  return { redraw: draw };
}
