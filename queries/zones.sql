-- Every zone a map can be drawn in: France, each region, each department, with the parts of
-- its label (the label itself is written in the interface language by ui/data.zones()).
-- Grain: one row per zone, in menu order. No parameters.
SELECT 'france' AS zone, 'france' AS kind, '' AS code, '' AS name, 0 AS sort_group
UNION ALL
SELECT 'region-' || code, 'region', code, name, 1 FROM territories WHERE level = 'region'
UNION ALL
SELECT 'departement-' || code, 'departement', code, name, 2
FROM territories WHERE level = 'departement'
ORDER BY sort_group, code;
