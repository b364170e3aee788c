-- How often our approximation (approx_densite_communale) agrees with each official commune-level
-- grid on rural / not rural, in communes and in population (legal population of the reference).
-- Only communes classed by both are compared; the others are counted in n_not_compared.
-- Grain: one row per official commune-level rural definition. No parameters.
WITH pairs AS (
    SELECT o.rural_definition_id, o.is_rural AS official, a.is_rural AS approx, t.population
    FROM commune_rurality o
    JOIN rural_definitions d
      ON d.rural_definition_id = o.rural_definition_id AND d.commune_level AND NOT d.is_approximation
    JOIN commune_rurality a
      ON a.commune_code = o.commune_code AND a.rural_definition_id = 'approx_densite_communale'
    JOIN territories t ON t.level = 'commune' AND t.code = o.commune_code
)
SELECT p.rural_definition_id, d.label_fr, d.vintage,
       count(*) FILTER (WHERE official IS NOT NULL AND approx IS NOT NULL) AS n_communes,
       count(*) FILTER (WHERE official = approx) AS n_agree,
       100.0 * count(*) FILTER (WHERE official = approx)
           / NULLIF(count(*) FILTER (WHERE official IS NOT NULL AND approx IS NOT NULL), 0)
           AS share_communes_agree,
       sum(population) FILTER (WHERE official IS NOT NULL AND approx IS NOT NULL) AS population,
       sum(population) FILTER (WHERE official = approx) AS population_agree,
       100.0 * sum(population) FILTER (WHERE official = approx)
           / NULLIF(sum(population) FILTER (WHERE official IS NOT NULL AND approx IS NOT NULL), 0)
           AS share_population_agree,
       count(*) FILTER (WHERE approx AND NOT official) AS n_approx_only,
       count(*) FILTER (WHERE official AND NOT approx) AS n_official_only,
       count(*) FILTER (WHERE official IS NULL OR approx IS NULL) AS n_not_compared,
       100.0 * count(*) FILTER (WHERE official) / count(*) AS share_communes_rural_official,
       100.0 * sum(population) FILTER (WHERE official) / sum(population)
           AS share_population_rural_official
FROM pairs p JOIN rural_definitions d USING (rural_definition_id)
GROUP BY ALL
ORDER BY d.vintage DESC;
