-- Tables the imports write that are missing from the warehouse (built before imports existed).
-- Grain: one row per missing table. No parameters.
SELECT t.name
FROM (VALUES ('import_log'), ('import_unmatched'), ('ess_emploi_cells'),
             ('sirene_etablissements')) t(name)
WHERE t.name NOT IN (SELECT table_name FROM information_schema.tables)
ORDER BY t.name;
