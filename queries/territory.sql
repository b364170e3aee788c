-- One territory with its region's name, population, area and density.
-- Grain: one row (or none if the code is unknown). Parameters: $level, $code.
SELECT t.level, t.code, t.name, t.region_code, r.name AS region_name, t.departement_code,
       t.population, t.population_year, t.area_km2, t.density, t.n_communes
FROM territories t
LEFT JOIN territories r ON r.level = 'region' AND r.code = t.region_code
WHERE t.level = $level AND t.code = $code;
