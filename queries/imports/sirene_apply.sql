-- Apply the SIRENE counterpart (staging tables written by ess_data.imports.sirene): its source
-- (kind `import`), the indicators it needs if the registry lacks them, the unmatched communes;
-- drops the staging tables. Observations and establishment counts are written by
-- imports/sirene_store and imports/sirene_observations.
-- Grain: one source row. No parameters.
DELETE FROM observations WHERE source_id IN (SELECT source_id FROM staging_source);
DELETE FROM sources WHERE source_id IN (SELECT source_id FROM staging_source);
INSERT INTO sources SELECT * FROM staging_source;
INSERT INTO indicators
SELECT * FROM staging_indicators s
WHERE s.indicator_id NOT IN (SELECT indicator_id FROM indicators);
INSERT INTO import_unmatched SELECT * FROM staging_unmatched;
DROP TABLE staging_source;
DROP TABLE staging_indicators;
DROP TABLE staging_unmatched;
DROP TABLE staging_sirene_ul;
DROP TABLE staging_sirene_rows;
