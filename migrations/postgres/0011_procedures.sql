-- The procedures catalogue (thủ tục hành chính): public information the hotline answers from.
-- One row per procedure, the whole record as JSON beside the columns it is listed by.
CREATE TABLE procedures (
    code        text        PRIMARY KEY,
    name        text        NOT NULL,
    field       text        NOT NULL,
    level       text        NOT NULL CHECK (level IN ('province', 'district', 'commune')),
    body        jsonb       NOT NULL,
    imported_at timestamptz NOT NULL
);

-- One row: bumped by every import, so every instance reloads its copy within seconds.
CREATE TABLE procedure_catalogue (
    id          integer     PRIMARY KEY CHECK (id = 1),
    revision    bigint      NOT NULL,
    imported_at timestamptz
);
INSERT INTO procedure_catalogue (id, revision) VALUES (1, 0);
