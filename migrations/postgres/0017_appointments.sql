-- Appointments and queue numbers at public offices (docs/appointments.md).

-- A clerk works the counters of these offices.
ALTER TABLE users ADD COLUMN offices text[] NOT NULL DEFAULT '{}';

-- An office as admins edit it: its settings and services as one JSON document (domain::Office).
CREATE TABLE offices (
    id         text PRIMARY KEY,
    config     jsonb       NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE office_closures (
    id         uuid PRIMARY KEY,
    office_id  text        NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL CHECK (ends_at > starts_at),
    reason     text        NOT NULL,
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX office_closures_office ON office_closures (office_id, ends_at);

-- Places taken in each slot: a booking takes one with a conditional UPDATE (booked < capacity),
-- so concurrent requests for the last place give exactly one booking, on any number of instances.
CREATE TABLE slot_loads (
    office_id  text        NOT NULL,
    service_id text        NOT NULL,
    starts_at  timestamptz NOT NULL,
    booked     integer     NOT NULL CHECK (booked >= 0),
    PRIMARY KEY (office_id, service_id, starts_at)
);

-- Bookings one person holds at one office on one day, taken the same way.
CREATE TABLE person_day_loads (
    office_id  text    NOT NULL,
    person_key bytea   NOT NULL,
    day        date    NOT NULL,
    booked     integer NOT NULL CHECK (booked >= 0),
    PRIMARY KEY (office_id, person_key, day)
);

CREATE TABLE bookings (
    id            uuid PRIMARY KEY,
    code          text        NOT NULL UNIQUE,
    office_id     text        NOT NULL REFERENCES offices (id),
    service_id    text        NOT NULL,
    procedure     text,
    starts_at     timestamptz NOT NULL,
    ends_at       timestamptz NOT NULL,
    status        text        NOT NULL,
    -- Personal data: only the citizen (with the token), the centre and the office's clerks.
    name          text        NOT NULL,
    phone         text        NOT NULL,
    email         text,
    -- Where messages go: the medium and the recipient (the phone for SMS, the chat user id).
    medium        text        NOT NULL,
    recipient     text        NOT NULL,
    lang          text        NOT NULL,
    -- SHA-256 of the normalised phone number: the per-person limit.
    person_key    bytea       NOT NULL,
    token_hash    bytea       NOT NULL,
    channel       text        NOT NULL,
    idem_key      text UNIQUE,
    created_by    text        NOT NULL,
    moved_from    timestamptz,
    reminded_day  boolean     NOT NULL DEFAULT false,
    reminded_hour boolean     NOT NULL DEFAULT false,
    checked_in_at timestamptz,
    finished_at   timestamptz,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX bookings_office_day ON bookings (office_id, starts_at);
CREATE INDEX bookings_due ON bookings (starts_at) WHERE status = 'booked';

-- The last number given per office, day and kind (A, U, H).
CREATE TABLE queue_seq (
    office_id text    NOT NULL,
    day       date    NOT NULL,
    kind      text    NOT NULL,
    last      integer NOT NULL,
    PRIMARY KEY (office_id, day, kind)
);

CREATE TABLE queue_numbers (
    id          uuid PRIMARY KEY,
    office_id   text        NOT NULL REFERENCES offices (id),
    day         date        NOT NULL,
    kind        text        NOT NULL,
    number      integer     NOT NULL,
    label       text        NOT NULL,
    service_id  text        NOT NULL,
    priority    text,
    booking_id  uuid REFERENCES bookings (id),
    slot_at     timestamptz,
    status      text        NOT NULL,
    counter     integer,
    to_counter  integer,
    -- For a message when nearly up (personal data).
    phone       text,
    token_hash  bytea       NOT NULL,
    idem_key    text UNIQUE,
    channel     text        NOT NULL,
    near_sent   boolean     NOT NULL DEFAULT false,
    issued_at   timestamptz NOT NULL,
    called_at   timestamptz,
    finished_at timestamptz,
    UNIQUE (office_id, day, kind, number)
);
CREATE INDEX queue_numbers_day ON queue_numbers (office_id, day, status);

-- Moves at each change of an office's queue: display boards wait for it to move.
CREATE TABLE office_boards (
    office_id text PRIMARY KEY,
    version   bigint NOT NULL
);

-- The visit survey (after SIPAS): once per booking or queue number.
CREATE TABLE visit_surveys (
    id         uuid PRIMARY KEY,
    subject    text        NOT NULL UNIQUE,
    office_id  text        NOT NULL,
    service_id text        NOT NULL,
    access     smallint    NOT NULL,
    procedure  smallint    NOT NULL,
    staff      smallint    NOT NULL,
    timeliness smallint    NOT NULL,
    overall    smallint    NOT NULL,
    comment    text,
    created_at timestamptz NOT NULL
);

-- The slots the chatbot last offered in a conversation, so "ĐẶT 2 Họ tên" books the second.
CREATE TABLE chat_booking_offers (
    conversation_id uuid PRIMARY KEY,
    offer           jsonb NOT NULL,
    created_at      timestamptz NOT NULL
);
