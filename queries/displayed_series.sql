-- The series shown for a territory where one figure or one line of an indicator is shown
-- (observations_labelled.displayed, no breakdown): none when no source publishes it there.
-- Grain: zero or one row. Parameters: $indicator_id, $level, $code.
SELECT DISTINCT series_id, source_id
FROM observations_labelled
WHERE indicator_id = $indicator_id AND territory_level = $level AND territory_code = $code
  AND displayed AND breakdown_value = '';
