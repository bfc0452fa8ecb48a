// The public appointment routes (no session: the booking's or the number's token proves it is
// the citizen's own) and the catalogue search the stepper starts from.

import { get, send } from '../common/http';
import type { Schemas } from '../common/types';
import type { Booking, BookingInput, Office, QueueInput, QueueNumber, SlotDay, VisitSurvey } from './types';

export type ProcedureSummary = Schemas['ProcedureSummary'];
export type ProcedurePage = Schemas['ProcedurePage'];
export type ProcedureDetail = Schemas['ProcedureDetail'];

const enc = encodeURIComponent;

export const searchProcedures = (q: string, limit = 10) =>
  get<ProcedurePage>(`/api/v1/procedures?${new URLSearchParams({ q: q.trim(), limit: String(limit) })}`);
export const procedure = (code: string) => get<ProcedureDetail>(`/api/v1/procedures/${enc(code)}`);

/** The offices, those serving `procedure` only when it is given. */
export const offices = (procedure?: string) =>
  get<Office[]>(`/api/v1/public/offices${procedure ? `?procedure=${enc(procedure)}` : ''}`);

export const slots = (office: string, service: string, day: string) =>
  get<SlotDay>(`/api/v1/public/offices/${enc(office)}/slots?${new URLSearchParams({ service, day })}`);

/** Books a slot; `key` (one per filled form) makes a retry return the same booking. */
export const book = (body: BookingInput, key: string) =>
  send<Booking>('POST', '/api/v1/public/bookings', body, { 'idempotency-key': key });

export const booking = (code: string, token: string) =>
  get<Booking>(`/api/v1/public/bookings/${enc(code)}?token=${enc(token)}`);

export const reschedule = (code: string, token: string, startsAt: string) =>
  send<Booking>('POST', `/api/v1/public/bookings/${enc(code)}/reschedule`, { token, starts_at: startsAt });

export const cancel = (code: string, token: string) =>
  send<Booking>('POST', `/api/v1/public/bookings/${enc(code)}/cancel`, { token });

/** Takes a number for today; `key` makes a retry return the same number. */
export const takeNumber = (office: string, body: QueueInput, key: string) =>
  send<QueueNumber>('POST', `/api/v1/public/offices/${enc(office)}/queue`, body, { 'idempotency-key': key });

export const queueNumber = (id: string, token: string) =>
  get<QueueNumber>(`/api/v1/public/queue/${enc(id)}?token=${enc(token)}`);

export const survey = (body: VisitSurvey) => send<unknown>('POST', '/api/v1/public/visits/survey', body);
