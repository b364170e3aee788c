-- Warehouse schema. Run first by `python -m ess_data build` on an empty database.
-- Every table states its grain; keys are enforced so a duplicate fails the build.

-- One row per publication a figure comes from.
CREATE TABLE sources (
    source_id   VARCHAR PRIMARY KEY,
    title       VARCHAR NOT NULL,
    publisher   VARCHAR NOT NULL,
    published   VARCHAR,
    url         VARCHAR,
    read_at_url VARCHAR,
    licence     VARCHAR,
    kind        VARCHAR NOT NULL,
    notes       VARCHAR
);

-- The indicator registry: one row per concept. Drives menus, labels, tooltips, exports, tests.
-- Which source's series a single-figure context shows (a key message, a deck chart) when several
-- cover a territory: rank 1 is the indicator's default source (seed/source_precedence.csv).
CREATE TABLE source_precedence (
    indicator_id VARCHAR NOT NULL,
    source_id    VARCHAR NOT NULL,
    rank         INTEGER NOT NULL,
    PRIMARY KEY (indicator_id, source_id),
    UNIQUE (indicator_id, rank)
);

CREATE TABLE indicators (
    indicator_id      VARCHAR PRIMARY KEY,
    theme             VARCHAR NOT NULL,
    label_fr          VARCHAR NOT NULL,
    label_en          VARCHAR NOT NULL,
    definition_fr     VARCHAR NOT NULL,
    definition_en     VARCHAR NOT NULL,
    unit              VARCHAR NOT NULL,
    decimals          INTEGER NOT NULL,
    breakdown         VARCHAR,
    default_source_id VARCHAR NOT NULL,
    mappable          BOOLEAN NOT NULL,
    notes             VARCHAR
);

-- One row per breakdown value (e.g. a DLA sector) with its labels.
CREATE TABLE breakdowns (
    breakdown       VARCHAR NOT NULL,
    breakdown_value VARCHAR NOT NULL,
    label_fr        VARCHAR NOT NULL,
    label_en        VARCHAR NOT NULL,
    sort_order      INTEGER,
    PRIMARY KEY (breakdown, breakdown_value)
);

-- One row per published figure: indicator x territory x period x breakdown x source.
-- breakdown_value is '' when the indicator has no breakdown (keys cannot hold NULL).
CREATE TABLE observations (
    indicator_id    VARCHAR NOT NULL,
    territory_level VARCHAR NOT NULL,
    territory_code  VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,
    breakdown_value VARCHAR NOT NULL,
    source_id       VARCHAR NOT NULL,
    value           DOUBLE NOT NULL,
    qualifier       VARCHAR,
    note            VARCHAR,
    PRIMARY KEY (indicator_id, territory_level, territory_code, period, breakdown_value, source_id)
);

-- Territories that are not in the official geography (France métropolitaine, old regions,
-- "rural" under a given definition, ...). One row per level x code.
CREATE TABLE pseudo_territories (
    territory_level VARCHAR NOT NULL,
    territory_code  VARCHAR NOT NULL,
    name_fr         VARCHAR NOT NULL,
    name_en         VARCHAR NOT NULL,
    note            VARCHAR,
    PRIMARY KEY (territory_level, territory_code)
);

-- The official geography: one row per level x code (france, region, departement, epci, commune).
CREATE TABLE territories (
    level            VARCHAR NOT NULL,
    code             VARCHAR NOT NULL,
    name             VARCHAR NOT NULL,
    region_code      VARCHAR,
    departement_code VARCHAR,
    epci_code        VARCHAR,
    population       BIGINT,
    population_year  INTEGER,
    area_km2         DOUBLE,
    density          DOUBLE,
    n_communes       INTEGER,
    lon              DOUBLE,
    lat              DOUBLE,
    PRIMARY KEY (level, code)
);

-- Shapes, WGS84 WKB. geometry_inset places the overseas departments near metropolitan France.
CREATE TABLE geometries (
    level          VARCHAR NOT NULL,
    code           VARCHAR NOT NULL,
    geometry       BLOB,
    geometry_inset BLOB,
    PRIMARY KEY (level, code)
);

-- Definitions of "rural": one row each (official grids, older typologies, our approximation).
CREATE TABLE rural_definitions (
    rural_definition_id VARCHAR PRIMARY KEY,
    label_fr            VARCHAR NOT NULL,
    label_en            VARCHAR NOT NULL,
    producer            VARCHAR,
    vintage             VARCHAR,
    method_fr           VARCHAR,
    source_id           VARCHAR,
    is_approximation    BOOLEAN NOT NULL,
    commune_level       BOOLEAN NOT NULL
);

-- Classes of a commune-level definition (e.g. the four density levels) and whether each is rural.
CREATE TABLE density_classes (
    rural_definition_id VARCHAR NOT NULL,
    class_code          VARCHAR NOT NULL,
    label_fr            VARCHAR NOT NULL,
    label_en            VARCHAR NOT NULL,
    is_rural            BOOLEAN NOT NULL,
    PRIMARY KEY (rural_definition_id, class_code)
);

-- One row per commune x commune-level rural definition. class_code is NULL when the commune
-- cannot be classified (no area known); the commune is kept, never dropped.
CREATE TABLE commune_rurality (
    commune_code        VARCHAR NOT NULL,
    rural_definition_id VARCHAR NOT NULL,
    class_code          VARCHAR,
    is_rural            BOOLEAN,
    PRIMARY KEY (commune_code, rural_definition_id)
);

-- The support network's bodies, by region (State service, SGAR, CRESS, regional DLA) and the
-- departmental DLA carriers (departement_code set). website_source_id: where the address was read.
CREATE TABLE structures (
    region_code       VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL,
    departement_code  VARCHAR,
    name              VARCHAR NOT NULL,
    website           VARCHAR,
    website_source_id VARCHAR,
    note              VARCHAR,
    source_id         VARCHAR
);

-- What was built, from what: one row per key.
CREATE TABLE build_info (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);
