-- One series on a map: an indicator's values from ONE source for one period, for every
-- territory of a level inside a zone; NULL where that source publishes nothing (never filled
-- from another source). `n_published`: how many territories of the level the source publishes
-- for that period in France (ranks are among those).
-- Grain: one row per territory of the level in the zone.
-- Parameters: $indicator_id, $level, $period, $source_id (NULL: the first source in precedence
-- publishing that period at that level), $region_code and $departement_code (NULL: all).
WITH chosen AS (
    SELECT coalesce($source_id, (
        SELECT source_id FROM map_offers
        WHERE indicator_id = $indicator_id AND territory_level = $level AND period = $period
        ORDER BY source_order LIMIT 1)) AS source_id
), obs AS (
    SELECT territory_code, value, source_id, source_title, source_publisher, source_published,
           qualifier, note
    FROM observations_labelled
    WHERE indicator_id = $indicator_id AND territory_level = $level AND period = $period
      AND source_id = (SELECT source_id FROM chosen) AND breakdown_value = ''
)
SELECT t.code, t.name, t.region_code, o.value, o.source_id, o.source_title, o.source_publisher,
       o.source_published, o.qualifier, o.note,
       (SELECT count(*) FROM obs) AS n_published
FROM territories t
LEFT JOIN obs o ON o.territory_code = t.code
WHERE t.level = $level
  AND ($region_code IS NULL OR t.region_code = $region_code)
  AND ($departement_code IS NULL OR t.departement_code = $departement_code)
ORDER BY o.value DESC NULLS LAST, t.code;
