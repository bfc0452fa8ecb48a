-- Photos of tickets. The files live in the media directory as `{hash}.jpg` and
-- `{hash}.thumb.jpg` (SHA-256 of the re-encoded JPEG); a file may belong to several tickets,
-- a ticket has each file once. A row is inserted only after its files are durable.
CREATE TABLE ticket_photos (
    ticket_id   uuid        NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    hash        text        NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    kind        text        NOT NULL CHECK (kind IN ('report', 'result')),
    width       integer     NOT NULL CHECK (width > 0),
    height      integer     NOT NULL CHECK (height > 0),
    bytes       bigint      NOT NULL CHECK (bytes > 0),
    -- NULL for the citizen (tracking token) and for API keys.
    uploaded_by uuid        REFERENCES users (id) ON DELETE SET NULL,
    -- A report photo the centre has published; result photos are public once the ticket is
    -- resolved or closed, whatever this says.
    public      boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL,
    position    integer     NOT NULL CHECK (position > 0),
    PRIMARY KEY (ticket_id, hash),
    UNIQUE (ticket_id, position)
);
CREATE INDEX ticket_photos_hash_idx ON ticket_photos (hash);
