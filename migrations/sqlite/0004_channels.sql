-- Chat and SMS intake (webhooks) and the notifier's outbox. See the PostgreSQL migration of
-- the same number for what each column means.

CREATE TABLE channel_messages (
    channel     TEXT    NOT NULL,
    message_id  TEXT    NOT NULL,
    sender      TEXT    NOT NULL,
    text        TEXT,
    lon         REAL,
    lat         REAL,
    complete    INTEGER NOT NULL CHECK (complete IN (0, 1)),
    ticket_id   TEXT REFERENCES tickets (id) ON DELETE SET NULL,
    received_at TEXT    NOT NULL,
    PRIMARY KEY (channel, message_id)
) STRICT;
CREATE INDEX channel_messages_ticket_idx ON channel_messages (ticket_id);

CREATE TABLE channel_drafts (
    channel    TEXT NOT NULL,
    sender     TEXT NOT NULL,
    text       TEXT,
    lon        REAL,
    lat        REAL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (channel, sender)
) STRICT;

CREATE TABLE notifications (
    id              TEXT PRIMARY KEY,
    dedup_key       TEXT    NOT NULL UNIQUE,
    ticket_id       TEXT REFERENCES tickets (id) ON DELETE CASCADE,
    seq             INTEGER,
    channel         TEXT    NOT NULL,
    recipient       TEXT    NOT NULL,
    template        TEXT    NOT NULL,
    payload         TEXT    NOT NULL CHECK (json_valid(payload)),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    sent_at         TEXT,
    last_error      TEXT,
    created_at      TEXT    NOT NULL
) STRICT;
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX notifications_ticket_idx ON notifications (ticket_id);

CREATE TABLE notify_cursor (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
) STRICT;
INSERT INTO notify_cursor (id, seq) SELECT 1, COALESCE(MAX(seq), 0) FROM events;
