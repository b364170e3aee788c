-- Whether each commune is rural under each commune-level rural definition (NULL: unclassified),
-- to sum an imported file into rural / rest of the country.
-- Grain: one row per commune x commune-level definition. No parameters.
SELECT r.rural_definition_id, r.commune_code, r.is_rural
FROM commune_rurality r
JOIN rural_definitions d USING (rural_definition_id)
WHERE d.commune_level
ORDER BY r.rural_definition_id, r.commune_code;
