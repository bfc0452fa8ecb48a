-- Directions (chỉ đạo) from leaders to units: on one ticket, or on a unit's backlog in an area
-- and/or a field; acknowledged and reported back by the unit. Internal: never public.
-- Instants are UTC text, as in 0001.
CREATE TABLE directions (
    id              TEXT PRIMARY KEY,
    unit            TEXT    NOT NULL,
    ticket_id       TEXT REFERENCES tickets (id) ON DELETE CASCADE,
    area            TEXT,
    field           TEXT,
    text            TEXT    NOT NULL,
    due_at          TEXT    NOT NULL,
    issued_by       TEXT    NOT NULL,
    issued_at       TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('open', 'acknowledged', 'reported')),
    acknowledged_by TEXT,
    acknowledged_at TEXT,
    report          TEXT,
    reported_by     TEXT,
    reported_at     TEXT,
    version         INTEGER NOT NULL
) STRICT;
CREATE INDEX directions_unit_idx ON directions (unit, status);
CREATE INDEX directions_ticket_idx ON directions (ticket_id);
CREATE INDEX directions_due_idx ON directions (due_at) WHERE status <> 'reported';
