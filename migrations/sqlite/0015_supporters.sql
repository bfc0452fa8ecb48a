-- "Me too": citizens who add their support to an open public report of the same problem instead
-- of filing a duplicate. The count is part of the ticket (public, in events and on the map); each
-- supporter's contact is personal data, kept apart like a reporter's and never published.
ALTER TABLE tickets ADD COLUMN supporters INTEGER NOT NULL DEFAULT 0 CHECK (supporters >= 0);

CREATE TABLE ticket_supporters (
    id         TEXT PRIMARY KEY,
    ticket_id  TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    -- One supporter once: their idempotency key, or their number or address.
    dedupe     TEXT NOT NULL,
    name       TEXT,
    phone      TEXT,
    email      TEXT,
    channel    TEXT NOT NULL,
    -- SHA-256 of the token the supporter may add photos with.
    token_hash BLOB NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (ticket_id, dedupe)
);
