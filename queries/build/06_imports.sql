-- Tables filled by imports (`python -m ess_data import ...`, re-applied by `build` from
-- data/imports/manifest.json). Empty when nothing was imported.

-- One row per imported file: what, when, its checksum and what it changed.
CREATE TABLE import_log (
    import_id   INTEGER NOT NULL,
    file_role   VARCHAR NOT NULL,   -- FILE, or etablissements / unites_legales for SIRENE
    kind        VARCHAR NOT NULL,   -- grille-densite, ess-emploi, sirene
    file_name   VARCHAR NOT NULL,   -- name of the file as received
    sha256      VARCHAR NOT NULL,
    n_rows      BIGINT NOT NULL,    -- data rows read from the file
    imported_at VARCHAR NOT NULL,   -- ISO 8601, UTC, first application (kept by rebuilds)
    target      VARCHAR,            -- the rural definition or source it wrote
    summary_fr  VARCHAR,            -- the report printed at import
    PRIMARY KEY (import_id, file_role)
);

-- Codes of an imported file that do not join the territory reference, and reference communes
-- missing from the file: reported, kept here, never dropped silently. One row per code.
CREATE TABLE import_unmatched (
    import_id INTEGER NOT NULL,
    target    VARCHAR NOT NULL,
    code      VARCHAR NOT NULL,
    name      VARCHAR,
    problem   VARCHAR NOT NULL,     -- 'absente du référentiel' or 'absente du fichier'
    line      INTEGER,              -- line in the file, when the code comes from it
    PRIMARY KEY (import_id, code, problem)
);

-- ESS employment from `import ess-emploi`: one row per level x code x year x family, as given by
-- the file or summed from its communes. Secret cells hold no number (NULL), only their status.
CREATE TABLE ess_emploi_cells (
    import_id         INTEGER NOT NULL,
    source_id         VARCHAR NOT NULL,
    level             VARCHAR NOT NULL,   -- commune, epci, departement, region, france, rural, hors_rural
    code              VARCHAR NOT NULL,   -- for rural / hors_rural: the rural definition id
    year              VARCHAR NOT NULL,
    famille           VARCHAR NOT NULL,   -- '' = the whole ESS
    etablissements    BIGINT,
    emplois_ess       BIGINT,
    emplois_total     BIGINT,
    part_ess          DOUBLE,             -- emplois_ess / emplois_total * 100 (family: of the ESS)
    origin            VARCHAR NOT NULL,   -- fichier or somme
    secret            VARCHAR NOT NULL,   -- non, primaire, secondaire
    PRIMARY KEY (source_id, level, code, year, famille)
);

-- Active ESS establishments from `import sirene`: one row per commune x family x size band x
-- employer flag, counted from the SIRENE stock of `stock_date`. commune_code is the commune of the
-- reference (arrondissements of Paris, Lyon, Marseille folded into their commune).
CREATE TABLE sirene_etablissements (
    import_id    INTEGER NOT NULL,
    stock_date   VARCHAR NOT NULL,
    commune_code VARCHAR NOT NULL,
    famille      VARCHAR NOT NULL,   -- associations, cooperatives, mutuelles, fondations, autres
    tranche      VARCHAR NOT NULL,   -- trancheEffectifsEtablissement; 'inconnue' when empty
    employeur    VARCHAR NOT NULL,   -- caractereEmployeurEtablissement: O, N or 'inconnu'
    n            BIGINT NOT NULL,
    PRIMARY KEY (import_id, commune_code, famille, tranche, employeur)
);
