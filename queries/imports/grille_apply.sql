-- Apply a validated density grid (staging_* tables written by ess_data.imports.grille) to the
-- warehouse copy being imported into: the definition, its classes, one commune_rurality row per
-- reference commune (class NULL when the file lacks it), the unmatched codes.
-- Grain: one row per commune in commune_rurality for the definition. No parameters (the values
-- come from the staging tables, which it drops).
DELETE FROM commune_rurality
WHERE rural_definition_id IN (SELECT rural_definition_id FROM staging_definition);
DELETE FROM density_classes
WHERE rural_definition_id IN (SELECT rural_definition_id FROM staging_definition);
DELETE FROM import_unmatched WHERE target IN (SELECT rural_definition_id FROM staging_definition)
  AND import_id IN (SELECT import_id FROM staging_unmatched);
DELETE FROM sources WHERE source_id IN (SELECT source_id FROM staging_source)
  AND source_id NOT IN (SELECT source_id FROM observations);
INSERT INTO sources SELECT * FROM staging_source
WHERE source_id NOT IN (SELECT source_id FROM sources);
-- a definition already known (e.g. the 2020 grid, published aggregates only) keeps its words and
-- source and becomes commune-level
UPDATE rural_definitions SET commune_level = true
WHERE rural_definition_id IN (SELECT rural_definition_id FROM staging_definition);
INSERT INTO rural_definitions
SELECT rural_definition_id, label_fr, label_en, producer, vintage, method_fr, source_id,
       false, true
FROM staging_definition
WHERE rural_definition_id NOT IN (SELECT rural_definition_id FROM rural_definitions);
INSERT INTO density_classes SELECT * FROM staging_classes;
-- names for figures computed on "rural" / "hors rural" under this grid (ess-emploi, sirene)
INSERT INTO pseudo_territories
SELECT v.lvl, d.rural_definition_id,
       CASE v.lvl WHEN 'rural' THEN 'Territoires ruraux (grille de densité Insee ' || d.vintage || ')'
                  ELSE 'Reste du territoire (hors rural, grille de densité Insee ' || d.vintage || ')' END,
       CASE v.lvl WHEN 'rural' THEN 'Rural areas (INSEE ' || d.vintage || ' density grid)'
                  ELSE 'Rest of the country (INSEE ' || d.vintage || ' density grid)' END,
       'Grille importée : voir l''historique des imports.'
FROM staging_definition d, (VALUES ('rural'), ('hors_rural')) v(lvl)
WHERE NOT EXISTS (SELECT 1 FROM pseudo_territories p
                  WHERE p.territory_level = v.lvl AND p.territory_code = d.rural_definition_id);
INSERT INTO commune_rurality
SELECT t.code, d.rural_definition_id, c.class_code, k.is_rural
FROM territories t
CROSS JOIN staging_definition d
LEFT JOIN staging_communes c ON c.commune_code = t.code
LEFT JOIN staging_classes k ON k.class_code = c.class_code
WHERE t.level = 'commune';
INSERT INTO import_unmatched SELECT * FROM staging_unmatched;
DROP TABLE staging_definition;
DROP TABLE staging_source;
DROP TABLE staging_classes;
DROP TABLE staging_communes;
DROP TABLE staging_unmatched;
