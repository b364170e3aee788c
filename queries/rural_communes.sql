-- Codes of the communes classed rural under one definition, inside a zone.
-- Grain: one row per rural commune.
-- Parameters: $rural_definition_id, $region_code and $departement_code (NULL: no filter).
SELECT c.code
FROM territories c
JOIN commune_rurality r ON r.commune_code = c.code AND r.rural_definition_id = $rural_definition_id
WHERE c.level = 'commune' AND r.is_rural
  AND ($region_code IS NULL OR c.region_code = $region_code)
  AND ($departement_code IS NULL OR c.departement_code = $departement_code)
ORDER BY c.code;
