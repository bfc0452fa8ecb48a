-- Directions (chỉ đạo) from leaders to units: on one ticket, or on a unit's backlog in an area
-- and/or a field; acknowledged and reported back by the unit. Internal: never public.
CREATE TABLE directions (
    id              uuid PRIMARY KEY,
    unit            text        NOT NULL,
    ticket_id       uuid REFERENCES tickets (id) ON DELETE CASCADE,
    area            text,
    field           text,
    text            text        NOT NULL,
    due_at          timestamptz NOT NULL,
    issued_by       text        NOT NULL,
    issued_at       timestamptz NOT NULL,
    status          text        NOT NULL CHECK (status IN ('open', 'acknowledged', 'reported')),
    acknowledged_by text,
    acknowledged_at timestamptz,
    report          text,
    reported_by     text,
    reported_at     timestamptz,
    version         bigint      NOT NULL
);
CREATE INDEX directions_unit_idx ON directions (unit, status);
CREATE INDEX directions_ticket_idx ON directions (ticket_id);
CREATE INDEX directions_due_idx ON directions (due_at) WHERE status <> 'reported';
