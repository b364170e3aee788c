-- One published indicator for every territory of a level inside a zone, for one period: the
-- value of the indicator's default source where it has one, else of the first other source;
-- NULL where none is published.
-- Grain: one row per territory of the level in the zone.
-- Parameters: $indicator_id, $level, $period, $region_code and $departement_code (NULL: all).
WITH obs AS (
    SELECT territory_code, value, source_id, source_title, source_publisher, source_published,
           qualifier, note
    FROM observations_labelled
    WHERE indicator_id = $indicator_id AND territory_level = $level AND period = $period
    QUALIFY row_number() OVER (PARTITION BY territory_code
                               ORDER BY is_default_source DESC, source_id) = 1
)
SELECT t.code, t.name, t.region_code, o.value, o.source_id, o.source_title, o.source_publisher,
       o.source_published, o.qualifier, o.note,
       CASE WHEN o.value IS NULL THEN NULL
            ELSE rank() OVER (ORDER BY o.value DESC NULLS LAST) END AS rank
FROM territories t
LEFT JOIN obs o ON o.territory_code = t.code
WHERE t.level = $level
  AND ($region_code IS NULL OR t.region_code = $region_code)
  AND ($departement_code IS NULL OR t.departement_code = $departement_code)
ORDER BY o.value DESC NULLS LAST, t.code;
