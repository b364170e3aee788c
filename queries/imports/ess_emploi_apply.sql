-- Apply a validated ESS employment file (staging_* tables written by ess_data.imports.ess_emploi)
-- to the warehouse copy being imported into: its source (kind `import`), the indicators and
-- family labels it needs if the registry lacks them, its observations (published cells only) and
-- every cell with its secrecy status. A re-import of the same file name replaces its figures.
-- Grain: one row per cell in ess_emploi_cells. No parameters (values come from the staging
-- tables, which it drops).
DELETE FROM observations WHERE source_id IN (SELECT source_id FROM staging_source);
DELETE FROM ess_emploi_cells WHERE source_id IN (SELECT source_id FROM staging_source);
DELETE FROM sources WHERE source_id IN (SELECT source_id FROM staging_source);
INSERT INTO sources SELECT * FROM staging_source;
INSERT INTO indicators
SELECT * FROM staging_indicators s
WHERE s.indicator_id NOT IN (SELECT indicator_id FROM indicators)
  AND s.indicator_id IN (SELECT indicator_id FROM staging_observations);
INSERT INTO breakdowns
SELECT * FROM staging_breakdowns s
WHERE NOT EXISTS (SELECT 1 FROM breakdowns b
                  WHERE b.breakdown = s.breakdown AND b.breakdown_value = s.breakdown_value)
  AND s.breakdown_value IN (SELECT breakdown_value FROM staging_observations);
INSERT INTO observations SELECT * FROM staging_observations;
INSERT INTO ess_emploi_cells SELECT * FROM staging_cells;
DROP TABLE staging_source;
DROP TABLE staging_indicators;
DROP TABLE staging_breakdowns;
DROP TABLE staging_observations;
DROP TABLE staging_cells;
