-- Periods for which an indicator has values at a territory level: dated ones newest first,
-- then the undated ('nd').
-- Grain: one row per period. Parameters: $indicator_id, $level.
SELECT period, count(DISTINCT territory_code) AS n_territories
FROM observations
WHERE indicator_id = $indicator_id AND territory_level = $level
GROUP BY period
ORDER BY period = 'nd', period DESC;
