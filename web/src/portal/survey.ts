// The survey a citizen answers once their report is resolved (the link comes by SMS, chat or
// email): was it really fixed, how satisfied are they (1–5; required when fixed), and a comment
// (what is still wrong, when not fixed). The pure parts — when the survey is offered, the checks
// before sending, the body of `POST /api/v1/track/{code}/survey` — tested in survey.test.ts; the
// form itself is in surveyForm.ts.

import type { SchemaOr, Schemas } from '../common/types';
import type { TEXTS } from './texts';

type PublicTicket = Schemas['PublicTicket'];

/** The body of `POST /api/v1/track/{code}/survey` (the generated type once the server's document has it). */
export type SurveyInput = SchemaOr<'SurveyInput', { token: string; fixed: boolean; rating?: number | null; comment?: string | null }>;

/** Longest comment, in characters (the server counts Unicode scalar values, as `[...s]` does). */
export const MAX_COMMENT = 2000;

/** What the form holds: `fixed` is null until one of the two answers is chosen. */
export interface SurveyAnswer {
  fixed: boolean | null;
  rating: number | null;
  comment: string;
}

export type SurveyField = 'fixed' | 'rating' | 'comment';

/** A reason the form can't be sent yet: the field at fault and the text that says why. */
export interface SurveyProblem {
  field: SurveyField;
  text: keyof typeof TEXTS;
}

/** Characters as the server counts them (an emoji is one, not two UTF-16 units). */
export const chars = (s: string) => [...s].length;

/** The survey is offered on a resolved report the citizen has not rated yet. */
export const offersSurvey = (p: Pick<PublicTicket, 'status' | 'rating'>) =>
  (p.status === 'resolved' || p.status === 'closed') && !p.rating;

/** The report was reopened after its last resolution (a "not fixed" answer, a low rating) and is being handled again. */
export function wasReopened(p: Pick<PublicTicket, 'status' | 'timeline'>): boolean {
  const kinds = p.timeline.map((e) => e.kind);
  const reopened = kinds.lastIndexOf('ticket.reopened');
  return reopened >= 0 && reopened > kinds.lastIndexOf('ticket.resolved') && !['resolved', 'closed', 'rejected', 'duplicate'].includes(p.status);
}

/** Why `a` can't be sent yet (empty when it can): an answer to "fixed?", a rating 1–5 when fixed, a comment of at most 2000 characters. */
export function checkSurvey(a: SurveyAnswer): SurveyProblem[] {
  const out: SurveyProblem[] = [];
  if (a.fixed === null) out.push({ field: 'fixed', text: 'surveyNeedFixed' });
  const rated = a.rating !== null;
  if (rated && !(Number.isInteger(a.rating) && a.rating! >= 1 && a.rating! <= 5)) out.push({ field: 'rating', text: 'surveyNeedRating' });
  else if (a.fixed === true && !rated) out.push({ field: 'rating', text: 'surveyNeedRating' });
  if (chars(a.comment.trim()) > MAX_COMMENT) out.push({ field: 'comment', text: 'surveyTooLong' });
  return out;
}

/** The body for a checked answer: the rating and the comment only when given. */
export function surveyBody(token: string, a: SurveyAnswer): SurveyInput {
  const body: SurveyInput = { token, fixed: a.fixed === true };
  if (a.rating !== null) body.rating = a.rating;
  const comment = a.comment.trim();
  if (comment) body.comment = comment;
  return body;
}

/** The answer in a form's values (`fixed` = `yes` | `no`, `rating` = 1…5, `comment`). */
export function readSurvey(get: (name: string) => FormDataEntryValue | null): SurveyAnswer {
  const fixed = get('fixed');
  const rating = Number(get('rating'));
  return {
    fixed: fixed === 'yes' ? true : fixed === 'no' ? false : null,
    rating: Number.isFinite(rating) && rating > 0 ? rating : null,
    comment: String(get('comment') ?? ''),
  };
}
