-- Images citizens send on Zalo or Messenger: kept (as the platform's address) until their
-- report is filed, then fetched from the platform and attached to it as report photos.
-- `sender` is personal data, as in channel_messages.
CREATE TABLE channel_photos (
    channel     TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    url         TEXT NOT NULL,
    sender      TEXT NOT NULL,
    received_at TEXT NOT NULL,
    ticket_id   TEXT REFERENCES tickets (id) ON DELETE CASCADE,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'attached', 'failed')),
    error       TEXT,
    PRIMARY KEY (channel, message_id, url)
);
CREATE INDEX channel_photos_sender_idx ON channel_photos (channel, sender, received_at) WHERE ticket_id IS NULL;
CREATE INDEX channel_photos_due_idx ON channel_photos (received_at) WHERE ticket_id IS NOT NULL AND state = 'pending';
