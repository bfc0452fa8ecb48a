-- Appointments and queue numbers at public offices (docs/appointments.md).

-- A clerk works the counters of these offices.
ALTER TABLE users ADD COLUMN offices TEXT NOT NULL DEFAULT '[]';

-- An office as admins edit it: its settings and services as one JSON document (domain::Office).
CREATE TABLE offices (
    id         TEXT PRIMARY KEY,
    config     TEXT        NOT NULL CHECK (json_valid(config)),
    updated_at TEXT NOT NULL
);

CREATE TABLE office_closures (
    id         TEXT PRIMARY KEY,
    office_id  TEXT        NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    starts_at  TEXT NOT NULL,
    ends_at    TEXT NOT NULL CHECK (ends_at > starts_at),
    reason     TEXT        NOT NULL,
    created_by TEXT        NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX office_closures_office ON office_closures (office_id, ends_at);

-- Places taken in each slot: a booking takes one with a conditional UPDATE (booked < capacity),
-- so concurrent requests for the last place give exactly one booking, on any number of instances.
CREATE TABLE slot_loads (
    office_id  TEXT        NOT NULL,
    service_id TEXT        NOT NULL,
    starts_at  TEXT NOT NULL,
    booked     INTEGER     NOT NULL CHECK (booked >= 0),
    PRIMARY KEY (office_id, service_id, starts_at)
);

-- Bookings one person holds at one office on one day, taken the same way.
CREATE TABLE person_day_loads (
    office_id  TEXT    NOT NULL,
    person_key BLOB   NOT NULL,
    day        TEXT    NOT NULL,
    booked     INTEGER NOT NULL CHECK (booked >= 0),
    PRIMARY KEY (office_id, person_key, day)
);

CREATE TABLE bookings (
    id            TEXT PRIMARY KEY,
    code          TEXT        NOT NULL UNIQUE,
    office_id     TEXT        NOT NULL REFERENCES offices (id),
    service_id    TEXT        NOT NULL,
    procedure     TEXT,
    starts_at     TEXT NOT NULL,
    ends_at       TEXT NOT NULL,
    status        TEXT        NOT NULL,
    -- Personal data: only the citizen (with the token), the centre and the office's clerks.
    name          TEXT        NOT NULL,
    phone         TEXT        NOT NULL,
    email         TEXT,
    -- Where messages go: the medium and the recipient (the phone for SMS, the chat user id).
    medium        TEXT        NOT NULL,
    recipient     TEXT        NOT NULL,
    lang          TEXT        NOT NULL,
    -- SHA-256 of the normalised phone number: the per-person limit.
    person_key    BLOB       NOT NULL,
    token_hash    BLOB       NOT NULL,
    channel       TEXT        NOT NULL,
    idem_key      TEXT UNIQUE,
    created_by    TEXT        NOT NULL,
    moved_from    TEXT,
    reminded_day  INTEGER     NOT NULL DEFAULT 0,
    reminded_hour INTEGER     NOT NULL DEFAULT 0,
    checked_in_at TEXT,
    finished_at   TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX bookings_office_day ON bookings (office_id, starts_at);
CREATE INDEX bookings_due ON bookings (starts_at) WHERE status = 'booked';

-- The last number given per office, day and kind (A, U, H).
CREATE TABLE queue_seq (
    office_id TEXT    NOT NULL,
    day       TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    last      INTEGER NOT NULL,
    PRIMARY KEY (office_id, day, kind)
);

CREATE TABLE queue_numbers (
    id          TEXT PRIMARY KEY,
    office_id   TEXT        NOT NULL REFERENCES offices (id),
    day         TEXT        NOT NULL,
    kind        TEXT        NOT NULL,
    number      INTEGER     NOT NULL,
    label       TEXT        NOT NULL,
    service_id  TEXT        NOT NULL,
    priority    TEXT,
    booking_id  TEXT REFERENCES bookings (id),
    slot_at     TEXT,
    status      TEXT        NOT NULL,
    counter     INTEGER,
    to_counter  INTEGER,
    -- For a message when nearly up (personal data).
    phone       TEXT,
    token_hash  BLOB       NOT NULL,
    idem_key    TEXT UNIQUE,
    channel     TEXT        NOT NULL,
    near_sent   INTEGER     NOT NULL DEFAULT 0,
    issued_at   TEXT NOT NULL,
    called_at   TEXT,
    finished_at TEXT,
    UNIQUE (office_id, day, kind, number)
);
CREATE INDEX queue_numbers_day ON queue_numbers (office_id, day, status);

-- Moves at each change of an office's queue: display boards wait for it to move.
CREATE TABLE office_boards (
    office_id TEXT PRIMARY KEY,
    version   INTEGER NOT NULL
);

-- The visit survey (after SIPAS): once per booking or queue number.
CREATE TABLE visit_surveys (
    id         TEXT PRIMARY KEY,
    subject    TEXT        NOT NULL UNIQUE,
    office_id  TEXT        NOT NULL,
    service_id TEXT        NOT NULL,
    access     INTEGER    NOT NULL,
    procedure  INTEGER    NOT NULL,
    staff      INTEGER    NOT NULL,
    timeliness INTEGER    NOT NULL,
    overall    INTEGER    NOT NULL,
    comment    TEXT,
    created_at TEXT NOT NULL
);

-- The slots the chatbot last offered in a conversation, so "ĐẶT 2 Họ tên" books the second.
CREATE TABLE chat_booking_offers (
    conversation_id TEXT PRIMARY KEY,
    offer           TEXT CHECK (json_valid(offer)) NOT NULL,
    created_at      TEXT NOT NULL
);
