-- Communes and population of a territory by class of a commune-level rural definition.
-- Unclassified communes (no known area) form their own row with class_code NULL.
-- Grain: one row per class. Parameters: $level, $code, $rural_definition_id.
WITH communes AS (
    SELECT c.code, c.population
    FROM territories c
    WHERE c.level = 'commune'
      AND CASE $level WHEN 'france' THEN true
                      WHEN 'region' THEN c.region_code = $code
                      WHEN 'departement' THEN c.departement_code = $code
                      WHEN 'epci' THEN c.epci_code = $code
                      WHEN 'commune' THEN c.code = $code END
)
SELECT r.class_code, k.label_fr, k.label_en, r.is_rural,
       count(*) AS n_communes, sum(c.population) AS population,
       count(*) / sum(count(*)) OVER () * 100 AS share_communes,
       sum(c.population) / sum(sum(c.population)) OVER () * 100 AS share_population
FROM communes c
JOIN commune_rurality r ON r.commune_code = c.code AND r.rural_definition_id = $rural_definition_id
LEFT JOIN density_classes k USING (rural_definition_id, class_code)
GROUP BY ALL
ORDER BY r.class_code NULLS LAST;
