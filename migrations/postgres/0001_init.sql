-- Switchboard schema for PostgreSQL + PostGIS.
-- Geometry columns are EPSG:4326 (WGS84 lon/lat) with GiST indexes, so QGIS can open
-- `areas` and `tickets` directly as layers.

CREATE EXTENSION IF NOT EXISTS postgis;

-- ---- reference data -----------------------------------------------------------------------

-- One row per version of an area boundary.
CREATE TABLE areas (
    code       text        NOT NULL,
    valid_from timestamptz NOT NULL,
    valid_to   timestamptz,
    name       text        NOT NULL,
    name_en    text        NOT NULL,
    level      text        NOT NULL,
    parent     text,
    geom       geometry(MultiPolygon, 4326) NOT NULL,
    PRIMARY KEY (code, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX areas_geom_gix ON areas USING gist (geom);
CREATE INDEX areas_parent_idx ON areas (parent);

CREATE TABLE categories (
    code          text PRIMARY KEY,
    field         text NOT NULL,
    name_vi       text NOT NULL,
    name_en       text NOT NULL,
    deadline_days integer CHECK (deadline_days IS NULL OR deadline_days >= 0)
);

CREATE TABLE units (
    code    text PRIMARY KEY,
    name_vi text   NOT NULL,
    name_en text   NOT NULL,
    parent  text,
    kind    text   NOT NULL,
    areas   text[] NOT NULL DEFAULT '{}'
);

-- Rules are matched by specificity, ties broken by `position` (the order they were given in).
CREATE TABLE routing_rules (
    position integer PRIMARY KEY,
    category text,
    area     text,
    unit     text NOT NULL
);

-- ---- tickets ------------------------------------------------------------------------------

-- The public part of a ticket. `lon`/`lat` are the source of truth; `geom` follows them.
CREATE TABLE tickets (
    id             uuid PRIMARY KEY,
    code           text             NOT NULL UNIQUE,
    channel        text             NOT NULL,
    category       text             NOT NULL,
    description    text             NOT NULL,
    lon            double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat            double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    geom           geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
    address        text,
    area           text,
    priority       text             NOT NULL,
    status         text             NOT NULL,
    unit           text,
    received_at    timestamptz      NOT NULL,
    deadline       timestamptz      NOT NULL,
    resolved_at    timestamptz,
    closed_at      timestamptz,
    updated_at     timestamptz      NOT NULL,
    result         text,
    rating         smallint CHECK (rating BETWEEN 1 AND 5),
    rating_comment text,
    duplicate_of   uuid REFERENCES tickets (id),
    version        bigint           NOT NULL
);
CREATE INDEX tickets_geom_gix ON tickets USING gist (geom);
CREATE INDEX tickets_status_idx ON tickets (status);
CREATE INDEX tickets_area_idx ON tickets (area);
CREATE INDEX tickets_unit_idx ON tickets (unit);
CREATE INDEX tickets_received_at_idx ON tickets (received_at);

-- Personal data of the reporter, apart from the public part; never in events.
CREATE TABLE ticket_contacts (
    ticket_id uuid PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    name      text,
    phone     text,
    email     text
);

-- SHA-256 of the citizen's tracking token.
CREATE TABLE ticket_secrets (
    ticket_id  uuid PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL
);

-- Per-prefix serial numbers of ticket codes (`DN-2611` → 1, 2, 3, …).
CREATE TABLE code_counters (
    prefix     text PRIMARY KEY,
    last_value bigint NOT NULL
);

-- The key row is inserted first (to claim the key) and the ticket later in the same
-- transaction, hence the deferred foreign key.
CREATE TABLE idempotency_keys (
    key          text PRIMARY KEY,
    request_hash bytea       NOT NULL,
    ticket_id    uuid        NOT NULL REFERENCES tickets (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);

-- The outbox. Inserts are serialised (advisory lock) so `seq` order is commit order.
CREATE TABLE events (
    seq       bigserial PRIMARY KEY,
    ticket_id uuid        NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    kind      text        NOT NULL,
    actor     text        NOT NULL,
    at        timestamptz NOT NULL,
    note      text,
    data      jsonb       NOT NULL
);
CREATE INDEX events_ticket_idx ON events (ticket_id, seq);

-- ---- users, sessions, API keys ------------------------------------------------------------

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    name          text        NOT NULL UNIQUE,
    display_name  text        NOT NULL,
    role          text        NOT NULL,
    areas         text[]      NOT NULL DEFAULT '{}',
    units         text[]      NOT NULL DEFAULT '{}',
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE api_keys (
    id         uuid PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    role       text        NOT NULL,
    key_hash   bytea       NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);
