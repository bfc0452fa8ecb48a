-- Switchboard schema for embedded SQLite.
-- Ids are hyphenated lower-case UUID text. Timestamps are UTC text with a fixed width
-- (`2026-11-05T08:30:00.123456Z`), so they compare and sort as text. Geometry is GeoJSON
-- text in EPSG:4326 (lon/lat); ticket positions are REAL lon/lat columns. Lists are JSON
-- arrays of text.

-- ---- reference data -----------------------------------------------------------------------

CREATE TABLE areas (
    code       TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to   TEXT,
    name       TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    level      TEXT NOT NULL,
    parent     TEXT,
    geometry   TEXT NOT NULL,
    PRIMARY KEY (code, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
) STRICT;
CREATE INDEX areas_parent_idx ON areas (parent);

CREATE TABLE categories (
    code          TEXT PRIMARY KEY,
    field         TEXT NOT NULL,
    name_vi       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    deadline_days INTEGER CHECK (deadline_days IS NULL OR deadline_days >= 0)
) STRICT;

CREATE TABLE units (
    code    TEXT PRIMARY KEY,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    parent  TEXT,
    kind    TEXT NOT NULL,
    areas   TEXT NOT NULL DEFAULT '[]'
) STRICT;

-- Rules are matched by specificity, ties broken by `position` (the order they were given in).
CREATE TABLE routing_rules (
    position INTEGER PRIMARY KEY,
    category TEXT,
    area     TEXT,
    unit     TEXT NOT NULL
) STRICT;

-- ---- tickets ------------------------------------------------------------------------------

-- The public part of a ticket.
CREATE TABLE tickets (
    id             TEXT PRIMARY KEY,
    code           TEXT    NOT NULL UNIQUE,
    channel        TEXT    NOT NULL,
    category       TEXT    NOT NULL,
    description    TEXT    NOT NULL,
    lon            REAL    NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat            REAL    NOT NULL CHECK (lat BETWEEN -90 AND 90),
    address        TEXT,
    area           TEXT,
    priority       TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    unit           TEXT,
    received_at    TEXT    NOT NULL,
    deadline       TEXT    NOT NULL,
    resolved_at    TEXT,
    closed_at      TEXT,
    updated_at     TEXT    NOT NULL,
    result         TEXT,
    rating         INTEGER CHECK (rating BETWEEN 1 AND 5),
    rating_comment TEXT,
    duplicate_of   TEXT REFERENCES tickets (id),
    version        INTEGER NOT NULL
) STRICT;
CREATE INDEX tickets_status_idx ON tickets (status);
CREATE INDEX tickets_area_idx ON tickets (area);
CREATE INDEX tickets_unit_idx ON tickets (unit);
CREATE INDEX tickets_received_at_idx ON tickets (received_at);

-- Personal data of the reporter, apart from the public part; never in events.
CREATE TABLE ticket_contacts (
    ticket_id TEXT PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    name      TEXT,
    phone     TEXT,
    email     TEXT
) STRICT;

-- SHA-256 of the citizen's tracking token.
CREATE TABLE ticket_secrets (
    ticket_id  TEXT PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    token_hash BLOB NOT NULL
) STRICT;

-- Per-prefix serial numbers of ticket codes (`DN-2611` → 1, 2, 3, …).
CREATE TABLE code_counters (
    prefix     TEXT PRIMARY KEY,
    last_value INTEGER NOT NULL
) STRICT;

CREATE TABLE idempotency_keys (
    key          TEXT PRIMARY KEY,
    request_hash BLOB NOT NULL,
    ticket_id    TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);

-- The outbox. SQLite has one writer at a time, so AUTOINCREMENT `seq` order is commit order.
CREATE TABLE events (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    actor     TEXT NOT NULL,
    at        TEXT NOT NULL,
    note      TEXT,
    data      TEXT NOT NULL CHECK (json_valid(data))
) STRICT;
CREATE INDEX events_ticket_idx ON events (ticket_id, seq);

-- ---- users, sessions, API keys ------------------------------------------------------------

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    areas         TEXT NOT NULL DEFAULT '[]',
    units         TEXT NOT NULL DEFAULT '[]',
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL,
    key_hash   BLOB NOT NULL UNIQUE,
    created_at TEXT NOT NULL
) STRICT;
