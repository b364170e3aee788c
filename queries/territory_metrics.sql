-- What the commune reference says of every territory of a level inside a zone: legal
-- population and its year, area, density, number of communes, rural communes and the share of
-- the population living in them under one commune-level rural definition, all computed from
-- the communes (shares weighted by population, never averages of percentages). An EPCI is
-- inside a zone when any of its communes is; its figures always cover all its communes.
-- Grain: one row per territory of $level inside the zone (or the one territory $code).
-- Parameters: $level, $rural_definition_id, $region_code, $departement_code and $code
-- (NULL: no filter).
WITH communes AS (
    SELECT c.code, c.region_code, c.departement_code, c.epci_code, c.population,
           r.is_rural, r.class_code
    FROM territories c
    LEFT JOIN commune_rurality r
      ON r.commune_code = c.code AND r.rural_definition_id = $rural_definition_id
    WHERE c.level = 'commune'
), keyed AS (
    SELECT CASE $level WHEN 'commune' THEN code WHEN 'epci' THEN epci_code
                       WHEN 'departement' THEN departement_code WHEN 'region' THEN region_code
                       ELSE 'FR' END AS territory_code, *
    FROM communes
), rural AS (
    SELECT territory_code,
           count(*) FILTER (WHERE is_rural) AS n_rural_communes,
           count(*) FILTER (WHERE is_rural IS NULL) AS n_unclassified,
           sum(population) FILTER (WHERE is_rural) AS rural_population,
           any_value(class_code) AS class_code
    FROM keyed WHERE territory_code IS NOT NULL
    GROUP BY territory_code
), in_zone AS (
    SELECT DISTINCT CASE $level WHEN 'epci' THEN epci_code ELSE NULL END AS epci_code
    FROM communes
    WHERE ($region_code IS NULL OR region_code = $region_code)
      AND ($departement_code IS NULL OR departement_code = $departement_code)
)
SELECT t.code, t.name, t.region_code, t.departement_code, t.population, t.population_year,
       t.area_km2, t.density, t.n_communes,
       coalesce(r.n_rural_communes, 0) AS n_rural_communes,
       coalesce(r.n_unclassified, 0) AS n_unclassified,
       -- a territory whose communes are all unclassified (no known area) has no share
       CASE WHEN r.n_unclassified < t.n_communes
            THEN coalesce(r.rural_population, 0) / nullif(t.population, 0) * 100
       END AS rural_population_share,
       CASE WHEN r.n_unclassified < t.n_communes
            THEN coalesce(r.n_rural_communes, 0) / nullif(t.n_communes, 0) * 100
       END AS rural_communes_share,
       CASE WHEN $level = 'commune' THEN r.class_code END AS class_code,
       CASE WHEN $level = 'commune' THEN k.label_fr END AS class_label_fr,
       CASE WHEN $level = 'commune' THEN k.label_en END AS class_label_en
FROM territories t
LEFT JOIN rural r ON r.territory_code = t.code
LEFT JOIN density_classes k
  ON $level = 'commune' AND k.rural_definition_id = $rural_definition_id
 AND k.class_code = r.class_code
WHERE t.level = $level AND ($code IS NULL OR t.code = $code)
  AND CASE WHEN $level = 'epci' THEN t.code IN (SELECT epci_code FROM in_zone)
           ELSE ($region_code IS NULL OR t.region_code = $region_code)
                AND ($departement_code IS NULL OR t.departement_code = $departement_code) END
ORDER BY t.code;
