// The appointment and queue types of the public routes (docs/appointments.md), written out here
// until `npm run gen:types` brings them from the server's OpenAPI document into api.gen.d.ts.

/** `HH:MM` opening and closing, Vietnam time. */
export type Span = [string, string];
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface Service {
  id: string;
  name: string;
  name_en?: string | null;
  /** The procedure codes of the catalogue this service serves. */
  procedures: string[];
  slot_minutes: number;
  capacity: number;
}

export interface Closure { from: string; to: string; reason: string }

export interface Office {
  id: string;
  name: string;
  name_en?: string | null;
  address: string;
  lon: number;
  lat: number;
  area?: string | null;
  counters: number;
  hours: Partial<Record<Weekday, Span[]>>;
  /** People may book today and this many days after. */
  days_ahead: number;
  per_person_per_day: number;
  services: Service[];
  closures?: Closure[];
}

export type ClosedReason = 'holiday' | 'closed' | 'closure' | 'outside_window';

export interface Slot { starts_at: string; ends_at: string; free: number }

/** GET /api/v1/public/offices/{office}/slots?service=&day= (past slots left out). */
export interface SlotDay { day: string; open: boolean; reason?: ClosedReason | null; slots: Slot[] }

export type BookingStatus = 'booked' | 'checked_in' | 'served' | 'no_show' | 'cancelled';
export type Channel = 'portal' | 'console' | 'chatbot';

export interface BookingDocument { name: string; copies?: string | null }

export interface Booking {
  code: string;
  status: BookingStatus;
  office: string;
  office_name: string;
  service: string;
  service_name: string;
  procedure?: string | null;
  procedure_name?: string | null;
  starts_at: string;
  ends_at: string;
  documents: BookingDocument[];
  name: string;
  phone: string;
  queue_label?: string | null;
  /** The former start, when a closure of the office moved the booking. */
  moved_from?: string | null;
  channel: Channel;
  /** Only in the 201 of a new booking. */
  token?: string | null;
}

export interface BookingInput {
  office: string;
  service: string;
  starts_at: string;
  name: string;
  phone: string;
  email?: string;
  procedure?: string;
  lang?: 'vi' | 'en';
}

export type Priority = 'elderly' | 'disability' | 'pregnant';
export type QueueKind = 'normal' | 'priority' | 'appointment';
export type QueueStatus = 'waiting' | 'called' | 'served' | 'no_show' | 'transferred';

export interface QueueNumber {
  id: string;
  label: string;
  kind: QueueKind;
  office: string;
  service: string;
  status: QueueStatus;
  counter: number | null;
  /** People ahead. */
  position: number;
  /** Estimated minutes to wait. */
  wait_minutes: number;
  issued_at: string;
  called_at: string | null;
  token?: string | null;
}

export interface QueueInput { service: string; priority?: Priority; phone?: string; kiosk?: boolean }

export const SCORE_KEYS = ['access', 'procedure', 'staff', 'timeliness', 'overall'] as const;
export type ScoreKey = (typeof SCORE_KEYS)[number];
export type Scores = Record<ScoreKey, number>;

export interface VisitSurvey { code: string; token: string; scores: Scores; comment?: string }
