// The public API the portal uses (no session; the tracking token proves a citizen's report).

import { get, send, upload } from '../common/http';
import type { Schemas } from '../common/types';
import type { SurveyInput } from './survey';

/** The new report, with the citizen's secret tracking token (shown only in this answer). */
export type Created = Schemas['CreatedTicket'];
export type PublicTicket = Schemas['PublicTicket'];
export type PublicResult = Schemas['PublicResult'];

/** Files a report; `key` makes a retry (e.g. after a network error) return the same report. */
export const fileReport = (body: Schemas['TicketInput'], key: string) => send<Created>('POST', '/api/v1/tickets', body, { 'idempotency-key': key });

/** Attaches photos to a new report, proving it is the reporter's with its tracking token. */
export function uploadPhotos(created: Created, photos: readonly File[]) {
  const form = new FormData();
  for (const p of photos) form.append('photo', p);
  return upload<Schemas['UploadedPhotos']>(`/api/v1/tickets/${created.id}/photos`, form, { 'tracking-token': created.tracking_token });
}

/** Adds photos to a tracked report (a chat or SMS reporter follows its link here), with its token. */
export function addPhotos(code: string, token: string, photos: readonly File[]) {
  const form = new FormData();
  for (const p of photos) form.append('photo', p);
  return upload<Schemas['UploadedPhotos']>(`/api/v1/tickets/${encodeURIComponent(code)}/photos`, form, { 'tracking-token': token });
}

export const track = (code: string, token: string) =>
  get<PublicTicket>(`/api/v1/track/${encodeURIComponent(code)}?token=${encodeURIComponent(token)}`);

export const rate = (code: string, token: string, rating: number, comment: string) =>
  send<PublicTicket>('POST', `/api/v1/track/${encodeURIComponent(code)}/rating`, { token, rating, comment: comment || null } satisfies Schemas['RatingInput']);

/** Answers the survey of a resolved report, once; "not fixed" reopens it (the answer shows it received or assigned again). */
export const survey = (code: string, body: SurveyInput) =>
  send<PublicTicket>('POST', `/api/v1/track/${encodeURIComponent(code)}/survey`, body);

export const results = (lon: number, lat: number) =>
  get<PublicResult[]>(`/api/v1/results?near=${lon.toFixed(6)},${lat.toFixed(6)}&radius=3000&limit=30`);
