-- The hotline desk: calls that are questions (inquiries), the callback list, the phone system's
-- call events and the operators' extensions. Personal data (callers' names and numbers, what
-- they asked): never public, never in events or exports.

-- The key callers' numbers are hashed with (HMAC-SHA256) when the server is given none: made
-- once by the first instance, read by every other.
CREATE TABLE desk_keys (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

-- The extension (máy lẻ) each operator answers on; one operator per extension.
CREATE TABLE desk_extensions (
    extension  TEXT PRIMARY KEY,
    operator   TEXT NOT NULL UNIQUE,
    updated_at TEXT NOT NULL
);

-- One row per call the PBX told us about, its fields merged from its events.
CREATE TABLE pbx_calls (
    call_id          TEXT PRIMARY KEY,
    state            TEXT NOT NULL CHECK (state IN ('ringing', 'answered', 'ended', 'missed')),
    caller_phone     TEXT,
    caller_key       BLOB,
    extension        TEXT,
    -- The operator who held the extension when the call rang or was answered.
    operator         TEXT,
    ringing_at       TEXT,
    answered_at      TEXT,
    ended_at         TEXT,
    missed_at        TEXT,
    duration_seconds INTEGER CHECK (duration_seconds IS NULL OR duration_seconds >= 0),
    recording_ref    TEXT,
    updated_at       TEXT NOT NULL
);
CREATE INDEX pbx_calls_operator_idx ON pbx_calls (operator, updated_at);
CREATE INDEX pbx_calls_started_idx ON pbx_calls ((COALESCE(ringing_at, answered_at, missed_at, ended_at)));

-- Each (call, event) once: a redelivered event changes nothing.
CREATE TABLE pbx_call_events (
    call_id     TEXT NOT NULL,
    event       TEXT NOT NULL CHECK (event IN ('ringing', 'answered', 'ended', 'missed')),
    at          TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (call_id, event)
);

-- A call that was a question, answered (or passed on) without a ticket.
CREATE TABLE inquiries (
    id               TEXT PRIMARY KEY,
    started_at       TEXT NOT NULL,
    duration_seconds INTEGER CHECK (duration_seconds IS NULL OR duration_seconds >= 0),
    recording_ref    TEXT,
    call_id          TEXT UNIQUE,
    caller_name      TEXT,
    caller_phone     TEXT,
    caller_key       BLOB,
    topic            TEXT NOT NULL,
    procedure_code   TEXT,
    field            TEXT,
    answer           TEXT NOT NULL,
    outcome          TEXT NOT NULL CHECK (outcome IN ('answered', 'transferred', 'callback', 'appointment', 'ticket_filed')),
    transferred_to   TEXT,
    ticket_id        TEXT REFERENCES tickets (id) ON DELETE SET NULL,
    operator         TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    idempotency_key  TEXT UNIQUE
);
CREATE INDEX inquiries_caller_idx ON inquiries (caller_key, started_at);
CREATE INDEX inquiries_started_idx ON inquiries (started_at);

-- Callers to ring back: from an inquiry that needs one, or from a missed call.
CREATE TABLE callbacks (
    id           TEXT PRIMARY KEY,
    source       TEXT NOT NULL CHECK (source IN ('inquiry', 'missed_call')),
    inquiry_id   TEXT REFERENCES inquiries (id) ON DELETE SET NULL,
    call_id      TEXT UNIQUE,
    caller_name  TEXT,
    caller_phone TEXT NOT NULL,
    caller_key   BLOB,
    reason       TEXT NOT NULL,
    due_at       TEXT NOT NULL,
    owner        TEXT,
    state        TEXT NOT NULL CHECK (state IN ('open', 'done', 'cancelled')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    missed_calls INTEGER NOT NULL DEFAULT 0,
    note         TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    closed_at    TEXT,
    closed_by    TEXT,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX callbacks_open_idx ON callbacks (due_at) WHERE state = 'open';
CREATE INDEX callbacks_caller_idx ON callbacks (caller_key) WHERE state = 'open';
CREATE INDEX callbacks_created_idx ON callbacks (created_at);

-- Tickets' contacts are keyed by the same hash, so a caller's earlier tickets are found
-- without reading numbers (filled in by the desk after filing).
ALTER TABLE ticket_contacts ADD COLUMN phone_key BLOB;
CREATE INDEX ticket_contacts_key_idx ON ticket_contacts (phone_key);
CREATE INDEX ticket_contacts_unkeyed_idx ON ticket_contacts (ticket_id) WHERE phone_key IS NULL AND phone IS NOT NULL;

-- The PBX call a ticket taken at the console came from: its length and recording are filled
-- in when the call ends.
ALTER TABLE ticket_calls ADD COLUMN call_id TEXT;
CREATE INDEX ticket_calls_call_idx ON ticket_calls (call_id);
