-- Commune-level rural definitions in the order the app should offer them: official grids first,
-- newest vintage first (the first row is the default), then approximations.
-- Grain: one row per commune-level rural definition. No parameters.
SELECT rural_definition_id, label_fr, vintage, is_approximation
FROM rural_definitions
WHERE commune_level
ORDER BY is_approximation, vintage DESC NULLS LAST, rural_definition_id;
