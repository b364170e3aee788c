-- Build check: values outside the range their unit allows (a share above 100 %, a negative
-- count), and a breakdown value on an indicator without breakdown. One row per offence.
SELECT o.indicator_id, o.territory_level, o.territory_code, o.period, o.source_id,
       'valeur hors du domaine de l''unité ' || i.unit || ' : ' || o.value AS probleme
FROM observations o JOIN indicators i USING (indicator_id)
WHERE (i.unit = 'percent' AND (o.value < -100 OR o.value > 100))
   OR (i.unit IN ('count', 'count_fte', 'euros', 'density') AND o.value < 0)
   OR isnan(o.value)
UNION ALL
SELECT o.indicator_id, o.territory_level, o.territory_code, o.period, o.source_id,
       'ventilation « ' || o.breakdown_value || ' » sur un indicateur sans ventilation'
FROM observations o JOIN indicators i USING (indicator_id)
WHERE i.breakdown IS NULL AND o.breakdown_value <> '';
