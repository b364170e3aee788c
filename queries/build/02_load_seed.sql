-- Load the curated figures (registered as seed_<file> views of ess_data/seed/*.csv, all text).
-- Empty strings become NULL except in key columns.
INSERT INTO sources
SELECT source_id, title, publisher, NULLIF(published, ''), NULLIF(url, ''), NULLIF(read_at_url, ''),
       NULLIF(licence, ''), kind, NULLIF(notes, '')
FROM seed_sources;

INSERT INTO indicators
SELECT indicator_id, theme, label_fr, label_en, definition_fr, definition_en, unit,
       CAST(decimals AS INTEGER), NULLIF(breakdown, ''), default_source_id,
       lower(mappable) = 'true', NULLIF(notes, '')
FROM seed_indicators;

INSERT INTO breakdowns
SELECT breakdown, breakdown_value, label_fr, label_en, TRY_CAST(NULLIF(sort_order, '') AS INTEGER)
FROM seed_breakdowns;

INSERT INTO observations
SELECT indicator_id, territory_level, territory_code, period, breakdown_value, source_id,
       CAST(value AS DOUBLE), NULLIF(qualifier, ''), NULLIF(note, '')
FROM seed_observations;

INSERT INTO pseudo_territories
SELECT territory_level, territory_code, name_fr, name_en, NULLIF(note, '')
FROM seed_pseudo_territories;

INSERT INTO rural_definitions
SELECT rural_definition_id, label_fr, label_en, NULLIF(producer, ''), NULLIF(vintage, ''),
       NULLIF(method_fr, ''), NULLIF(source_id, ''),
       lower(is_approximation) = 'true', lower(commune_level) = 'true'
FROM seed_rural_definitions;

INSERT INTO structures
SELECT region_code, kind, NULLIF(departement_code, ''), name, NULLIF(website, ''),
       NULLIF(website_source_id, ''), NULLIF(note, ''), NULLIF(source_id, '')
FROM seed_structures;

INSERT INTO source_precedence
SELECT indicator_id, source_id, CAST(rank AS INTEGER)
FROM seed_source_precedence;
