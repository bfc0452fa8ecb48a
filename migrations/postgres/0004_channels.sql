-- Chat and SMS intake (webhooks) and the notifier's outbox.

-- Every message received on a webhook, once per (channel, message id), so a redelivered
-- message is recognised. `sender` (a phone number or a chat user id) is personal data.
-- `text`/`lon`/`lat`: what this message carried, or, once `complete`, the whole report it
-- completed (its sender's earlier draft merged in), from which the ticket is (re)filed.
CREATE TABLE channel_messages (
    channel     text        NOT NULL,
    message_id  text        NOT NULL,
    sender      text        NOT NULL,
    text        text,
    lon         double precision,
    lat         double precision,
    complete    boolean     NOT NULL,
    ticket_id   uuid REFERENCES tickets (id) ON DELETE SET NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (channel, message_id)
);
CREATE INDEX channel_messages_ticket_idx ON channel_messages (ticket_id);

-- What a sender has said so far without enough to file (text without a location, or the
-- reverse); merged with their next message, forgotten after a while.
CREATE TABLE channel_drafts (
    channel    text        NOT NULL,
    sender     text        NOT NULL,
    text       text,
    lon        double precision,
    lat        double precision,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (channel, sender)
);

-- Messages to citizens. `dedup_key` makes enqueueing idempotent (one row per event and
-- recipient, whichever instance enqueues it). `next_attempt_at` is when the row is next due;
-- NULL once it is sent or given up. A claim pushes it forward by a lease, so a row claimed
-- by an instance that died becomes due again.
CREATE TABLE notifications (
    id              uuid PRIMARY KEY,
    dedup_key       text        NOT NULL UNIQUE,
    ticket_id       uuid REFERENCES tickets (id) ON DELETE CASCADE,
    seq             bigint,
    channel         text        NOT NULL,
    recipient       text        NOT NULL,
    template        text        NOT NULL,
    payload         jsonb       NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    sent_at         timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL
);
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX notifications_ticket_idx ON notifications (ticket_id);

-- How far the notifier has read the events outbox (one row). Starts at the events already
-- there, so existing tickets are not notified again.
CREATE TABLE notify_cursor (
    id  smallint PRIMARY KEY CHECK (id = 1),
    seq bigint   NOT NULL
);
INSERT INTO notify_cursor (id, seq) SELECT 1, COALESCE(MAX(seq), 0) FROM events;
