-- The hotline desk: calls that are questions (inquiries), the callback list, the phone system's
-- call events and the operators' extensions. Personal data (callers' names and numbers, what
-- they asked): never public, never in events or exports.

-- The key callers' numbers are hashed with (HMAC-SHA256) when the server is given none: made
-- once by the first instance, read by every other.
CREATE TABLE desk_keys (
    name  text PRIMARY KEY,
    value bytea NOT NULL
);

-- The extension (máy lẻ) each operator answers on; one operator per extension.
CREATE TABLE desk_extensions (
    extension  text PRIMARY KEY,
    operator   text NOT NULL UNIQUE,
    updated_at timestamptz NOT NULL
);

-- One row per call the PBX told us about, its fields merged from its events.
CREATE TABLE pbx_calls (
    call_id          text PRIMARY KEY,
    state            text NOT NULL CHECK (state IN ('ringing', 'answered', 'ended', 'missed')),
    caller_phone     text,
    caller_key       bytea,
    extension        text,
    -- The operator who held the extension when the call rang or was answered.
    operator         text,
    ringing_at       timestamptz,
    answered_at      timestamptz,
    ended_at         timestamptz,
    missed_at        timestamptz,
    duration_seconds integer CHECK (duration_seconds IS NULL OR duration_seconds >= 0),
    recording_ref    text,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX pbx_calls_operator_idx ON pbx_calls (operator, updated_at);
CREATE INDEX pbx_calls_started_idx ON pbx_calls ((COALESCE(ringing_at, answered_at, missed_at, ended_at)));

-- Each (call, event) once: a redelivered event changes nothing.
CREATE TABLE pbx_call_events (
    call_id     text NOT NULL,
    event       text NOT NULL CHECK (event IN ('ringing', 'answered', 'ended', 'missed')),
    at          timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (call_id, event)
);

-- A call that was a question, answered (or passed on) without a ticket.
CREATE TABLE inquiries (
    id               uuid PRIMARY KEY,
    started_at       timestamptz NOT NULL,
    duration_seconds integer CHECK (duration_seconds IS NULL OR duration_seconds >= 0),
    recording_ref    text,
    call_id          text UNIQUE,
    caller_name      text,
    caller_phone     text,
    caller_key       bytea,
    topic            text NOT NULL,
    procedure_code   text,
    field            text,
    answer           text NOT NULL,
    outcome          text NOT NULL CHECK (outcome IN ('answered', 'transferred', 'callback', 'appointment', 'ticket_filed')),
    transferred_to   text,
    ticket_id        uuid REFERENCES tickets (id) ON DELETE SET NULL,
    operator         text NOT NULL,
    created_at       timestamptz NOT NULL,
    idempotency_key  text UNIQUE
);
CREATE INDEX inquiries_caller_idx ON inquiries (caller_key, started_at);
CREATE INDEX inquiries_started_idx ON inquiries (started_at);

-- Callers to ring back: from an inquiry that needs one, or from a missed call.
CREATE TABLE callbacks (
    id           uuid PRIMARY KEY,
    source       text NOT NULL CHECK (source IN ('inquiry', 'missed_call')),
    inquiry_id   uuid REFERENCES inquiries (id) ON DELETE SET NULL,
    call_id      text UNIQUE,
    caller_name  text,
    caller_phone text NOT NULL,
    caller_key   bytea,
    reason       text NOT NULL,
    due_at       timestamptz NOT NULL,
    owner        text,
    state        text NOT NULL CHECK (state IN ('open', 'done', 'cancelled')),
    attempts     integer NOT NULL DEFAULT 0,
    missed_calls integer NOT NULL DEFAULT 0,
    note         text,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    closed_at    timestamptz,
    closed_by    text,
    version      bigint NOT NULL DEFAULT 1
);
CREATE INDEX callbacks_open_idx ON callbacks (due_at) WHERE state = 'open';
CREATE INDEX callbacks_caller_idx ON callbacks (caller_key) WHERE state = 'open';
CREATE INDEX callbacks_created_idx ON callbacks (created_at);

-- Tickets' contacts are keyed by the same hash, so a caller's earlier tickets are found
-- without reading numbers (filled in by the desk after filing).
ALTER TABLE ticket_contacts ADD COLUMN phone_key bytea;
CREATE INDEX ticket_contacts_key_idx ON ticket_contacts (phone_key);
CREATE INDEX ticket_contacts_unkeyed_idx ON ticket_contacts (ticket_id) WHERE phone_key IS NULL AND phone IS NOT NULL;

-- The PBX call a ticket taken at the console came from: its length and recording are filled
-- in when the call ends.
ALTER TABLE ticket_calls ADD COLUMN call_id text;
CREATE INDEX ticket_calls_call_idx ON ticket_calls (call_id);
