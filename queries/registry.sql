-- The indicator registry. Grain: one row per indicator. No parameters.
SELECT indicator_id, theme, label_fr, label_en, definition_fr, definition_en, unit, decimals,
       breakdown, default_source_id, mappable, notes
FROM indicators
ORDER BY theme, indicator_id;
