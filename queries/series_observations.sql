-- Every observation of one series (indicator x source x breakdown) at some levels, labelled:
-- what a table comparing territories on that series reads (never another source's figures).
-- Grain: one row per territory x period. Parameters: $series_id, $levels (list).
SELECT *
FROM observations_labelled
WHERE series_id = $series_id AND territory_level = ANY($levels)
ORDER BY territory_level, territory_code, period;
