-- Territories of a level for pickers, optionally within one region.
-- Grain: one row per territory. Parameters: $level, $region_code (NULL for all).
SELECT code, name, region_code, departement_code
FROM territories
WHERE level = $level AND ($region_code IS NULL OR region_code = $region_code)
ORDER BY code;
