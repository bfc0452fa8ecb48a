-- The procedures catalogue (thủ tục hành chính): public information the hotline answers from.
-- One row per procedure, the whole record as JSON beside the columns it is listed by.
CREATE TABLE procedures (
    code        TEXT    PRIMARY KEY,
    name        TEXT    NOT NULL,
    field       TEXT    NOT NULL,
    level       TEXT    NOT NULL CHECK (level IN ('province', 'district', 'commune')),
    body        TEXT    NOT NULL CHECK (json_valid(body)),
    imported_at TEXT    NOT NULL
);

-- One row: bumped by every import, so every instance reloads its copy within seconds.
CREATE TABLE procedure_catalogue (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    revision    INTEGER NOT NULL,
    imported_at TEXT
);
INSERT INTO procedure_catalogue (id, revision) VALUES (1, 0);
