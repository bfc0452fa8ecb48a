-- Photos of tickets. The files live in the media directory as `{hash}.jpg` and
-- `{hash}.thumb.jpg` (SHA-256 of the re-encoded JPEG); a file may belong to several tickets,
-- a ticket has each file once. A row is inserted only after its files are durable.
CREATE TABLE ticket_photos (
    ticket_id   TEXT    NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    hash        TEXT    NOT NULL CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
    kind        TEXT    NOT NULL CHECK (kind IN ('report', 'result')),
    width       INTEGER NOT NULL CHECK (width > 0),
    height      INTEGER NOT NULL CHECK (height > 0),
    bytes       INTEGER NOT NULL CHECK (bytes > 0),
    -- NULL for the citizen (tracking token) and for API keys.
    uploaded_by TEXT    REFERENCES users (id) ON DELETE SET NULL,
    -- A report photo the centre has published; result photos are public once the ticket is
    -- resolved or closed, whatever this says.
    public      INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
    created_at  TEXT    NOT NULL,
    position    INTEGER NOT NULL CHECK (position > 0),
    PRIMARY KEY (ticket_id, hash),
    UNIQUE (ticket_id, position)
) STRICT;
CREATE INDEX ticket_photos_hash_idx ON ticket_photos (hash);
