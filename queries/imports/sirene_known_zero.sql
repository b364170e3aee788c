-- Communes where the latest SIRENE import lists no ESS establishment that may employ anyone
-- (employer flag O or unknown), for the whole ESS ('') and each family SIRENE shares with the
-- ess-emploi template: anyone reading SIRENE knows their ESS employment is zero, so statistical
-- secrecy never hides them to protect another cell (ess_data.imports.ess_emploi).
-- Grain: one row per commune x famille. No parameters; no rows without a SIRENE import.
WITH latest AS (
    SELECT max(import_id) AS id FROM sirene_etablissements
), employing AS (
    SELECT DISTINCT s.commune_code, s.famille
    FROM sirene_etablissements s, latest
    WHERE s.import_id = latest.id AND s.employeur <> 'N'
)
SELECT t.code AS commune_code, f.famille
FROM territories t
CROSS JOIN (VALUES (''), ('associations'), ('cooperatives'), ('mutuelles'), ('fondations'))
    f(famille)
CROSS JOIN latest
WHERE t.level = 'commune' AND latest.id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM employing e
                  WHERE e.commune_code = t.code AND (f.famille = '' OR e.famille = f.famille))
ORDER BY 1, 2;
