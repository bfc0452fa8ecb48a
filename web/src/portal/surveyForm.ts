// The survey's form on the tracking page (survey.ts holds its rules): "was it really fixed?" as
// two large choices, 1–5 stars (required when fixed, optional when not), and a comment that asks
// what is still wrong when it was not fixed. Checked before sending; the server's reasons
// (422 naming a field, 409 when already answered) are shown the same way, on the form.

import { esc } from '../common/dom';
import { ApiError } from '../common/http';
import type { I18n } from '../common/i18n';
import * as api from './api';
import { MAX_COMMENT, chars, checkSurvey, readSurvey, surveyBody, type SurveyAnswer, type SurveyField } from './survey';
import { RATING_TEXT, type TEXTS } from './texts';

type T = I18n<keyof typeof TEXTS>;

const FIELDS: readonly SurveyField[] = ['fixed', 'rating', 'comment'];

/** The form, empty. */
export function surveyHtml(i18n: T): string {
  const t = (k: keyof typeof TEXTS) => esc(i18n.t(k));
  const stars = RATING_TEXT.map((level, i) => {
    const name = `${i + 1} — ${i18n.pick(level)}`;
    return `<label title="${esc(name)}"><input type="radio" name="rating" value="${i + 1}" aria-label="${esc(name)}">★</label>`;
  }).join('');
  return `<form id="survey-form" class="survey" novalidate>
    <h3>${t('surveyTitle')}</h3>
    <p class="muted">${t('surveyIntro')}</p>
    <fieldset class="choice" data-field="fixed"><legend>${t('surveyFixed')}</legend>
      <label class="opt yes"><input type="radio" name="fixed" value="yes"><span>${t('surveyYes')}</span></label>
      <label class="opt no"><input type="radio" name="fixed" value="no"><span>${t('surveyNo')}</span></label>
    </fieldset>
    <fieldset class="rating" data-field="rating"><legend>${t('surveyRating')} <small class="optional" hidden>${t('surveyOptional')}</small></legend>
      <div class="stars">${stars}</div>
      <p class="muted level" aria-live="polite">${t('surveyScale')}</p>
    </fieldset>
    <label data-field="comment"><span class="comment-label">${t('surveyComment')}</span>
      <textarea name="comment" rows="3" maxlength="${MAX_COMMENT}"></textarea>
      <small class="muted count"></small></label>
    <p class="error survey-error" role="alert"></p>
    <button type="submit">${t('surveySend')}</button></form>`;
}

/** What the form on the page holds (to keep it across a language switch), or null without one. */
export function readForm(root: ParentNode): SurveyAnswer | null {
  const form = root.querySelector<HTMLFormElement>('#survey-form');
  if (!form) return null;
  const data = new FormData(form);
  return readSurvey((n) => data.get(n));
}

export interface SurveyHooks {
  /** The answer was taken: the report as it now is, and whether it was fixed. */
  answered(ticket: api.PublicTicket, fixed: boolean): void;
  /** The server says it was answered already: show the report as it is, and say so. */
  already(): void;
}

/** Wires the form drawn by `surveyHtml` in `root` for report `code`, filled with `restore` if given. */
export function mountSurvey(root: ParentNode, i18n: T, code: string, token: string, hooks: SurveyHooks, restore?: SurveyAnswer | null): void {
  const form = root.querySelector<HTMLFormElement>('#survey-form');
  if (!form) return;
  const comment = form.querySelector<HTMLTextAreaElement>('textarea[name=comment]')!;
  const errorLine = form.querySelector<HTMLElement>('.survey-error')!;
  if (restore) {
    if (restore.fixed !== null) form.querySelector<HTMLInputElement>(`input[name=fixed][value=${restore.fixed ? 'yes' : 'no'}]`)!.checked = true;
    if (restore.rating !== null) form.querySelector<HTMLInputElement>(`input[name=rating][value="${restore.rating}"]`)!.checked = true;
    comment.value = restore.comment;
  }

  const update = () => {
    const a = readSurvey((n) => new FormData(form).get(n));
    form.dataset.fixed = a.fixed === null ? '' : a.fixed ? 'yes' : 'no';
    form.querySelectorAll('.stars label').forEach((l, i) => l.classList.toggle('on', a.rating !== null && i < a.rating));
    form.querySelector('.level')!.textContent = a.rating ? `${a.rating} — ${i18n.pick(RATING_TEXT[a.rating - 1])}` : i18n.t('surveyScale');
    form.querySelector<HTMLElement>('.optional')!.hidden = a.fixed !== false;
    form.querySelector('.comment-label')!.textContent = i18n.t(a.fixed === false ? 'surveyWrong' : 'surveyComment');
    comment.placeholder = a.fixed === false ? i18n.t('surveyWrongPh') : '';
    form.querySelector('.count')!.textContent = `${chars(comment.value)} / ${MAX_COMMENT} ${i18n.t('surveyChars')}`;
  };
  const mark = (fields: readonly string[], message: string) => {
    for (const f of FIELDS) form.querySelector(`[data-field=${f}]`)!.classList.toggle('invalid', fields.includes(f));
    errorLine.textContent = message;
    form.querySelector<HTMLElement>('.invalid input, .invalid textarea')?.focus();
  };
  form.addEventListener('change', (e) => {
    (e.target as HTMLElement).closest('[data-field]')?.classList.remove('invalid');
    // What was wrong is said again on the next send; once nothing is marked, the line goes.
    if (!form.querySelector('.invalid')) errorLine.textContent = '';
    update();
  });
  comment.addEventListener('input', update);
  update();

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (form.getAttribute('aria-busy')) return;
    const answer = readSurvey((n) => new FormData(form).get(n));
    const problems = checkSurvey(answer);
    if (problems.length) return mark(problems.map((p) => p.field), problems.map((p) => i18n.t(p.text)).join(' '));
    mark([], '');
    form.setAttribute('aria-busy', 'true');
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.disabled = true;
    try {
      hooks.answered(await api.survey(code, surveyBody(token, answer)), answer.fixed === true);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        hooks.already();
        return;
      }
      // As the rating's errors: the server's message; here also the fields it names, marked.
      mark(e instanceof ApiError ? e.fields.map((f) => f.split('.')[0]) : [], e instanceof Error ? e.message : String(e));
    } finally {
      form.removeAttribute('aria-busy');
      form.querySelector<HTMLButtonElement>('button[type=submit]')!.disabled = false;
    }
  });
}
