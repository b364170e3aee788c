-- Every zone a map can be drawn in: France, each region, each department, with a label.
-- Grain: one row per zone, in menu order. No parameters.
SELECT 'france' AS zone, 'France entière' AS label, 0 AS sort_group, '' AS code
UNION ALL
SELECT 'region-' || code, 'Région : ' || name, 1, code FROM territories WHERE level = 'region'
UNION ALL
SELECT 'departement-' || code, 'Département : ' || name || ' (' || code || ')', 2, code
FROM territories WHERE level = 'departement'
ORDER BY sort_group, code;
