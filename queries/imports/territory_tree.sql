-- The territory reference with each territory's parents, to check and sum an imported file.
-- Grain: one row per territory (commune, epci, departement, region, france). No parameters.
SELECT level, code, name, departement_code, region_code, epci_code
FROM territories
ORDER BY level, code;
