-- Territory levels at which each published indicator has values, with how many periods.
-- Grain: one row per indicator x territory level. No parameters.
SELECT indicator_id, territory_level, count(DISTINCT period) AS n_periods,
       count(DISTINCT territory_code) AS n_territories
FROM observations
GROUP BY ALL
ORDER BY indicator_id, territory_level;
