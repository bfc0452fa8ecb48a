-- Conversations with the chatbot (portal, Zalo, Messenger, SMS) and their hand-over to an
-- operator. Personal data: the sender and what they wrote; never public, never in events.
CREATE TABLE conversations (
    id              uuid PRIMARY KEY,
    channel         text NOT NULL CHECK (channel IN ('portal', 'zalo', 'messenger', 'sms')),
    sender          text NOT NULL,
    -- The portal's conversation is read back only with its secret (SHA-256 of it here).
    secret_hash     bytea,
    state           text NOT NULL CHECK (state IN ('bot', 'waiting', 'human')),
    operator        text,
    handover_reason text,
    started_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    turns           bigint NOT NULL DEFAULT 0,
    -- A report the citizen began on the portal: its text, until a place completes it.
    draft           TEXT,
    closed_at       timestamptz
);
-- One open conversation per sender and channel.
CREATE UNIQUE INDEX conversations_open_idx ON conversations (channel, sender) WHERE closed_at IS NULL;
CREATE INDEX conversations_queue_idx ON conversations (state, updated_at) WHERE closed_at IS NULL;

CREATE TABLE conversation_turns (
    conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    n               bigint NOT NULL,
    speaker         text NOT NULL CHECK (speaker IN ('citizen', 'bot', 'operator')),
    text            text NOT NULL,
    operator        text,
    -- The platform's id of the citizen's message: a redelivery is recognised.
    message_id      text,
    -- The chatbot took the message as a report and left it to the intake.
    report          boolean NOT NULL DEFAULT false,
    at              timestamptz NOT NULL,
    PRIMARY KEY (conversation_id, n)
);
CREATE UNIQUE INDEX conversation_turns_message_idx ON conversation_turns (conversation_id, message_id)
    WHERE message_id IS NOT NULL;
