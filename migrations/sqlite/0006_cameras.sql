-- Cameras: the registry (edited by admins, imported from GeoJSON) and its own outbox.
-- `source_url` is a secret of the centre (it may hold credentials): never in camera_events.
-- Timestamps are UTC text, as in 0001.
CREATE TABLE cameras (
    code         TEXT PRIMARY KEY,
    name         TEXT    NOT NULL,
    name_en      TEXT    NOT NULL,
    lon          REAL    NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat          REAL    NOT NULL CHECK (lat BETWEEN -90 AND 90),
    heading      REAL    NOT NULL CHECK (heading >= 0 AND heading < 360),
    fov          REAL    NOT NULL CHECK (fov > 0 AND fov <= 360),
    range_m      REAL    NOT NULL CHECK (range_m > 0),
    kind         TEXT    NOT NULL CHECK (kind IN ('mjpeg', 'hls', 'snapshot')),
    source_url   TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('online', 'offline', 'unknown')),
    last_checked TEXT,
    last_seen    TEXT,
    area         TEXT,
    version      INTEGER NOT NULL,
    updated_at   TEXT    NOT NULL
) STRICT;

-- Status changes and edits, for the live stream. One writer at a time: `seq` is commit order.
CREATE TABLE camera_events (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    camera TEXT NOT NULL,
    kind   TEXT NOT NULL,
    at     TEXT NOT NULL,
    data   TEXT NOT NULL
) STRICT;
