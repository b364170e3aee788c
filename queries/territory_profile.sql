-- A territory's published figures side by side with its region's and France's for the same
-- indicator, period and source (the same series), with its rank among the territories of its
-- level that this source publishes for that period (n_ranked), the series (series_id) and
-- whether it is the series shown for the territory where one figure is shown (`displayed`,
-- decided in the build's observations_labelled).
-- Grain: one row per indicator x period x breakdown x source published for the territory.
-- Parameters: $level ('region' or 'departement'), $code.
WITH mine AS (
    SELECT * FROM observations_labelled
    WHERE territory_level = $level AND territory_code = $code
), region_code AS (
    SELECT region_code FROM territories WHERE level = $level AND code = $code
), ranks AS (
    SELECT indicator_id, period, breakdown_value, source_id, territory_code,
           rank() OVER (PARTITION BY indicator_id, period, breakdown_value, source_id
                        ORDER BY value DESC) AS rank,
           count(*) OVER (PARTITION BY indicator_id, period, breakdown_value, source_id) AS n_ranked
    FROM observations WHERE territory_level = $level
), france AS (
    SELECT indicator_id, period, breakdown_value, source_id, value, territory_name_fr,
           territory_name_en
    FROM observations_labelled
    WHERE territory_level = 'france'
    QUALIFY row_number() OVER (PARTITION BY indicator_id, period, breakdown_value, source_id
                               ORDER BY territory_code = 'FR' DESC, territory_code) = 1
)
SELECT m.indicator_id, m.label_fr, m.label_en, m.unit, m.decimals, m.period, m.breakdown_value,
       m.series_id, m.source_order, m.displayed, m.breakdown_label_fr, m.breakdown_label_en,
       m.source_id, m.source_title, m.source_publisher, m.source_published, m.qualifier,
       m.value AS value_territory,
       reg.value AS value_region, reg.territory_name_fr AS region_name,
       reg.territory_name_en AS region_name_en,
       f.value AS value_france, f.territory_name_fr AS france_name,
       f.territory_name_en AS france_name_en,
       r.rank, r.n_ranked
FROM mine m
LEFT JOIN observations_labelled reg  -- never the department itself (Guyane's region Guyane...)
  ON $level = 'departement' AND reg.territory_level = 'region'
 AND reg.territory_code = (SELECT region_code FROM region_code)
 AND reg.territory_name_fr IS DISTINCT FROM m.territory_name_fr
 AND reg.indicator_id = m.indicator_id AND reg.period = m.period
 AND reg.breakdown_value = m.breakdown_value AND reg.source_id = m.source_id
LEFT JOIN france f
  ON f.indicator_id = m.indicator_id AND f.period = m.period
 AND f.breakdown_value = m.breakdown_value AND f.source_id = m.source_id
LEFT JOIN ranks r
  ON r.indicator_id = m.indicator_id AND r.period = m.period
 AND r.breakdown_value = m.breakdown_value AND r.source_id = m.source_id
 AND r.territory_code = m.territory_code
ORDER BY m.indicator_id, m.source_order, m.breakdown_value, m.period DESC;
