-- Labelled observations of every indicator of one theme (e.g. 'dla', 'ptce').
-- Grain: one row per observation. Parameters: $theme.
SELECT *
FROM observations_labelled
WHERE theme = $theme
ORDER BY indicator_id, territory_level, territory_code, period, sort_order NULLS LAST,
         breakdown_value, source_order, source_id;
