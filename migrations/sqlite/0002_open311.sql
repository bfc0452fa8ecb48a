-- Open311 GeoReport v2 (docs/open311.md).

-- A category's extra questions (Open311 service-definition attributes): JSON text, an array of
-- {code, datatype, required, order, description, description_en, values: [{key, name, name_en}]}.
ALTER TABLE categories ADD COLUMN attributes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(attributes));

-- What a report carries besides the ticket's public columns: a link to a photo or video and the
-- answers to its category's questions (JSON text, {code: answer}). Public data: the reporter's
-- personal data stays in ticket_contacts. Written in the ticket's insert transaction.
CREATE TABLE ticket_extras (
    ticket_id  TEXT PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    media_url  TEXT,
    attributes TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes))
) STRICT;

-- GET servicerequestupdates reads the outbox by time.
CREATE INDEX events_at_idx ON events (at, seq);
