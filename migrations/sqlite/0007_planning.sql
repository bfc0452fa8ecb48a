-- Planning maps: approved plans (layers) and their land-use zones. Geometry is GeoJSON text in
-- EPSG:4326 (lon/lat), dates `YYYY-MM-DD`, timestamps as in 0001.

CREATE TABLE planning_layers (
    code            TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    -- The decision approving the plan, e.g. 1287/QĐ-UBND of 2023-04-14.
    decision_number TEXT NOT NULL,
    decision_date   TEXT NOT NULL,
    -- When the layer was last imported; a server reloads its planning index when this changes.
    imported_at     TEXT NOT NULL
) STRICT;

CREATE TABLE planning_zones (
    layer                TEXT NOT NULL REFERENCES planning_layers (code) ON DELETE CASCADE,
    code                 TEXT NOT NULL,
    name                 TEXT,
    land_use             TEXT NOT NULL CHECK (land_use IN
        ('residential', 'commercial', 'mixed', 'green_space', 'public_facility', 'transport', 'water', 'other')),
    max_height_m         REAL CHECK (max_height_m BETWEEN 0 AND 1000),
    building_density_pct REAL CHECK (building_density_pct BETWEEN 0 AND 100),
    far                  REAL CHECK (far BETWEEN 0 AND 100),
    -- The decision approving this zone: the layer's, or a later amendment.
    decision_number      TEXT NOT NULL,
    decision_date        TEXT NOT NULL,
    geometry             TEXT NOT NULL,
    PRIMARY KEY (layer, code)
) STRICT;
