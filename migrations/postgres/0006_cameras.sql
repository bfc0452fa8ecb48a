-- Cameras: the registry (edited by admins, imported from GeoJSON) and its own outbox.
-- `geom` follows lon/lat (EPSG:4326, GiST-indexed) so QGIS can open the table as a layer.
-- `source_url` is a secret of the centre (it may hold credentials): never in camera_events.
CREATE TABLE cameras (
    code         text PRIMARY KEY,
    name         text             NOT NULL,
    name_en      text             NOT NULL,
    lon          double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat          double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    geom         geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
    heading      double precision NOT NULL CHECK (heading >= 0 AND heading < 360),
    fov          double precision NOT NULL CHECK (fov > 0 AND fov <= 360),
    range_m      double precision NOT NULL CHECK (range_m > 0),
    kind         text             NOT NULL CHECK (kind IN ('mjpeg', 'hls', 'snapshot')),
    source_url   text             NOT NULL,
    status       text             NOT NULL CHECK (status IN ('online', 'offline', 'unknown')),
    last_checked timestamptz,
    last_seen    timestamptz,
    area         text,
    version      bigint           NOT NULL,
    updated_at   timestamptz      NOT NULL
);
CREATE INDEX cameras_geom_gix ON cameras USING gist (geom);

-- Status changes and edits, for every instance's live stream. Inserts are serialised
-- (advisory lock) so `seq` order is commit order. No foreign key: a deletion's event outlives
-- the camera.
CREATE TABLE camera_events (
    seq    bigserial PRIMARY KEY,
    camera text        NOT NULL,
    kind   text        NOT NULL,
    at     timestamptz NOT NULL,
    data   jsonb       NOT NULL
);
