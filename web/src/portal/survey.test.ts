import { describe, expect, it } from 'vitest';
import { MAX_COMMENT, chars, checkSurvey, offersSurvey, readSurvey, surveyBody, wasReopened } from './survey';
import { RATING_TEXT, TEXTS } from './texts';

const answer = (over: Partial<Parameters<typeof checkSurvey>[0]>) => ({ fixed: null, rating: null, comment: '', ...over });
const fields = (a: Parameters<typeof checkSurvey>[0]) => checkSurvey(a).map((p) => p.field);

describe('the survey’s checks before sending', () => {
  it('wants an answer to “was it fixed?”', () => {
    expect(fields(answer({}))).toEqual(['fixed']);
    expect(checkSurvey(answer({}))[0].text).toBe('surveyNeedFixed');
  });

  it('wants a rating when it was fixed, and takes none when it was not', () => {
    expect(fields(answer({ fixed: true }))).toEqual(['rating']);
    expect(fields(answer({ fixed: true, rating: 5 }))).toEqual([]);
    expect(fields(answer({ fixed: false }))).toEqual([]);
    expect(fields(answer({ fixed: false, rating: 1 }))).toEqual([]);
  });

  it('takes only the ratings 1 to 5', () => {
    for (const r of [0, 6, 2.5, -1]) expect(fields(answer({ fixed: false, rating: r })), String(r)).toEqual(['rating']);
  });

  it('takes a comment of at most 2000 characters, counted as the server counts them', () => {
    expect(fields(answer({ fixed: false, comment: 'ố'.repeat(MAX_COMMENT) }))).toEqual([]);
    expect(fields(answer({ fixed: false, comment: 'ố'.repeat(MAX_COMMENT + 1) }))).toEqual(['comment']);
    // An emoji is two UTF-16 units but one character.
    expect(chars('🚧'.repeat(3))).toBe(3);
    expect(fields(answer({ fixed: false, comment: '🚧'.repeat(MAX_COMMENT) }))).toEqual([]);
    // Surrounding blanks are not sent, so not counted.
    expect(fields(answer({ fixed: false, comment: ` ${'a'.repeat(MAX_COMMENT)}\n` }))).toEqual([]);
  });

  it('names every fault at once', () => {
    expect(fields(answer({ comment: 'x'.repeat(MAX_COMMENT + 1) }))).toEqual(['fixed', 'comment']);
    expect(fields(answer({ fixed: true, comment: 'x'.repeat(MAX_COMMENT + 1) }))).toEqual(['rating', 'comment']);
  });
});

describe('the body of POST /api/v1/track/{code}/survey', () => {
  it('sends the rating and the comment only when given', () => {
    expect(surveyBody('tok', answer({ fixed: true, rating: 4, comment: '  Sạch sẽ rồi, cảm ơn ' }))).toEqual({ token: 'tok', fixed: true, rating: 4, comment: 'Sạch sẽ rồi, cảm ơn' });
    expect(surveyBody('tok', answer({ fixed: false, comment: '   ' }))).toEqual({ token: 'tok', fixed: false });
    expect(surveyBody('tok', answer({ fixed: false, rating: 1, comment: 'Cống vẫn tắc' }))).toEqual({ token: 'tok', fixed: false, rating: 1, comment: 'Cống vẫn tắc' });
  });

  it('reads the form’s values', () => {
    const form = (v: Record<string, string>) => (n: string) => v[n] ?? null;
    expect(readSurvey(form({ fixed: 'yes', rating: '5', comment: 'ok' }))).toEqual({ fixed: true, rating: 5, comment: 'ok' });
    expect(readSurvey(form({ fixed: 'no' }))).toEqual({ fixed: false, rating: null, comment: '' });
    expect(readSurvey(form({}))).toEqual({ fixed: null, rating: null, comment: '' });
  });
});

describe('when the tracking page offers the survey', () => {
  it('on a resolved report not yet rated', () => {
    expect(offersSurvey({ status: 'resolved', rating: null })).toBe(true);
    expect(offersSurvey({ status: 'resolved', rating: 4 })).toBe(false);
    expect(offersSurvey({ status: 'closed', rating: null })).toBe(true);
    expect(offersSurvey({ status: 'in_progress' })).toBe(false);
  });

  it('says the report was reopened when it is handled again after its resolution', () => {
    const ev = (kind: string) => ({ kind, at: '2026-12-02T03:00:00Z' });
    const timeline = [ev('ticket.created'), ev('ticket.assigned'), ev('ticket.resolved'), ev('ticket.reopened')];
    expect(wasReopened({ status: 'assigned', timeline })).toBe(true);
    expect(wasReopened({ status: 'received', timeline: [...timeline, ev('ticket.rated')] })).toBe(true);
    expect(wasReopened({ status: 'resolved', timeline: [...timeline, ev('ticket.resolved')] })).toBe(false);
    expect(wasReopened({ status: 'assigned', timeline: timeline.slice(0, 2) })).toBe(false);
  });
});

describe('the survey’s texts', () => {
  it('ask the question and name the top of the scale as the issue words them', () => {
    expect(TEXTS.surveyFixed).toEqual({ vi: 'Sự việc đã được khắc phục chưa?', en: 'Was it really fixed?' });
    expect([TEXTS.surveyYes.vi, TEXTS.surveyNo.vi]).toEqual(['Đã khắc phục', 'Chưa khắc phục']);
    expect(RATING_TEXT).toHaveLength(5);
    expect(RATING_TEXT[4]).toEqual({ vi: 'Rất hài lòng', en: 'Very satisfied' });
    expect(TEXTS.reopened.vi).toBe('Phản ánh đã được mở lại để tiếp tục xử lý');
    for (const t of RATING_TEXT) expect(t.vi).toBe(t.vi.normalize('NFC'));
  });
});
