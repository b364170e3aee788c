-- Build check: observations whose indicator, source or territory is unknown, or whose
-- breakdown value has no label. Grain: one row per offending observation. No parameters.
SELECT o.indicator_id, o.territory_level, o.territory_code, o.period, o.source_id,
       CASE WHEN i.indicator_id IS NULL THEN 'indicateur inconnu'
            WHEN s.source_id IS NULL THEN 'source inconnue'
            WHEN t.territory_code IS NULL AND r.rural_definition_id IS NULL THEN 'territoire inconnu'
            ELSE 'modalité de ventilation sans libellé' END AS probleme
FROM observations o
LEFT JOIN indicators i USING (indicator_id)
LEFT JOIN sources s USING (source_id)
LEFT JOIN territory_names t USING (territory_level, territory_code)
LEFT JOIN rural_definitions r
  ON o.territory_level IN ('rural', 'hors_rural', 'urbain', 'periurbain')
 AND r.rural_definition_id = o.territory_code
LEFT JOIN breakdowns b ON b.breakdown = i.breakdown AND b.breakdown_value = o.breakdown_value
WHERE i.indicator_id IS NULL
   OR s.source_id IS NULL
   OR (t.territory_code IS NULL AND r.rural_definition_id IS NULL)
   OR (o.breakdown_value <> '' AND b.breakdown_value IS NULL);
