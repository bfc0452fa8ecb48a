-- "Me too": citizens who add their support to an open public report of the same problem instead
-- of filing a duplicate. The count is part of the ticket (public, in events and on the map); each
-- supporter's contact is personal data, kept apart like a reporter's and never published.
ALTER TABLE tickets ADD COLUMN supporters integer NOT NULL DEFAULT 0 CHECK (supporters >= 0);

CREATE TABLE ticket_supporters (
    id         uuid PRIMARY KEY,
    ticket_id  uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    -- One supporter once: their idempotency key, or their number or address.
    dedupe     text NOT NULL,
    name       text,
    phone      text,
    email      text,
    channel    text NOT NULL,
    -- SHA-256 of the token the supporter may add photos with.
    token_hash bytea NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (ticket_id, dedupe)
);
