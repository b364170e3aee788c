-- The communes of one department, for the commune picker.
-- Grain: one row per commune. Parameters: $departement_code.
SELECT code, name
FROM territories
WHERE level = 'commune' AND departement_code = $departement_code
ORDER BY name, code;
