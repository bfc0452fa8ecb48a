-- Conversations with the chatbot (portal, Zalo, Messenger, SMS) and their hand-over to an
-- operator. Personal data: the sender and what they wrote; never public, never in events.
CREATE TABLE conversations (
    id              TEXT PRIMARY KEY,
    channel         TEXT NOT NULL CHECK (channel IN ('portal', 'zalo', 'messenger', 'sms')),
    sender          TEXT NOT NULL,
    -- The portal's conversation is read back only with its secret (SHA-256 of it here).
    secret_hash     BLOB,
    state           TEXT NOT NULL CHECK (state IN ('bot', 'waiting', 'human')),
    operator        TEXT,
    handover_reason TEXT,
    started_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    turns           INTEGER NOT NULL DEFAULT 0,
    -- A report the citizen began on the portal: its text, until a place completes it.
    draft           TEXT,
    closed_at       TEXT
);
-- One open conversation per sender and channel.
CREATE UNIQUE INDEX conversations_open_idx ON conversations (channel, sender) WHERE closed_at IS NULL;
CREATE INDEX conversations_queue_idx ON conversations (state, updated_at) WHERE closed_at IS NULL;

CREATE TABLE conversation_turns (
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    n               INTEGER NOT NULL,
    speaker         TEXT NOT NULL CHECK (speaker IN ('citizen', 'bot', 'operator')),
    text            TEXT NOT NULL,
    operator        TEXT,
    -- The platform's id of the citizen's message: a redelivery is recognised.
    message_id      TEXT,
    -- The chatbot took the message as a report and left it to the intake.
    report          INTEGER NOT NULL DEFAULT 0,
    at              TEXT NOT NULL,
    PRIMARY KEY (conversation_id, n)
);
CREATE UNIQUE INDEX conversation_turns_message_idx ON conversation_turns (conversation_id, message_id)
    WHERE message_id IS NOT NULL;
