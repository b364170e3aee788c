-- Labelled observations of some indicators at some territory levels.
-- Grain: one row per observation (indicator x territory x period x breakdown x source).
-- Parameters: $indicator_ids (list of ids), $levels (list of territory levels).
SELECT *
FROM observations_labelled
WHERE indicator_id = ANY($indicator_ids) AND territory_level = ANY($levels)
ORDER BY indicator_id, territory_level, territory_code, period, sort_order NULLS LAST,
         breakdown_value, source_order, source_id;
