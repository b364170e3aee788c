-- Figures of some indicators for rural territories, the rest of the country and France, with
-- the pair chosen for the headline comparison marked `chosen`: for each indicator, one rural
-- figure and its comparison (same source, same period; the rest of the country under the same
-- rural definition, else France as a whole). Preferred: the rural definition $definition, the
-- first source in the registry's precedence, a dated figure. Figures are never mixed across
-- sources.
-- Grain: one row per observation at levels rural, hors_rural and france.
-- Parameters: $indicator_ids (list), $definition (preferred rural definition id).
WITH obs AS (
    SELECT * FROM observations_labelled
    WHERE indicator_id = ANY($indicator_ids)
      AND territory_level IN ('rural', 'hors_rural', 'france')
), pairs AS (
    SELECT r.indicator_id, r.source_id, r.period, r.territory_code AS rural_code,
           c.territory_level AS other_level, c.territory_code AS other_code,
           row_number() OVER (
               PARTITION BY r.indicator_id
               ORDER BY r.territory_code = $definition DESC, r.source_order,
                        r.period <> 'nd' DESC, c.territory_level = 'hors_rural' DESC,
                        c.territory_code = 'FR' DESC, r.source_id, c.territory_code) AS rn
    FROM obs r
    JOIN obs c
      ON c.indicator_id = r.indicator_id AND c.source_id = r.source_id
     AND c.period = r.period AND c.breakdown_value = r.breakdown_value
     AND ((c.territory_level = 'hors_rural' AND c.territory_code = r.territory_code)
          OR c.territory_level = 'france')
    WHERE r.territory_level = 'rural'
)
SELECT o.*, p.indicator_id IS NOT NULL AS chosen
FROM obs o
LEFT JOIN pairs p
  ON p.rn = 1 AND p.indicator_id = o.indicator_id AND p.source_id = o.source_id
 AND p.period = o.period
 AND ((o.territory_level = 'rural' AND o.territory_code = p.rural_code)
      OR (o.territory_level = p.other_level AND o.territory_code = p.other_code))
ORDER BY o.indicator_id, chosen DESC,
         CASE o.territory_level WHEN 'rural' THEN 1 WHEN 'hors_rural' THEN 2 ELSE 3 END,
         o.territory_code, o.period, o.source_order, o.source_id;
