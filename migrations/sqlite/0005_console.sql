-- Phone intake of the console: details of the call a ticket was taken from. Personal data (it
-- goes with the caller's contact in ticket_contacts): kept apart from the public ticket, never
-- in events or public responses. At most one call per ticket.
CREATE TABLE ticket_calls (
    ticket_id        TEXT PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    -- When the call began (UTC text, as in 0001).
    started_at       TEXT NOT NULL,
    -- Length of the call in seconds, when known.
    duration_seconds INTEGER CHECK (duration_seconds IS NULL OR duration_seconds >= 0),
    -- Where the phone system keeps the recording (its id or URL), when there is one.
    recording_ref    TEXT
) STRICT;
