-- Build check: indicators without definition, with an unknown unit or default source, or with
-- no observation at all (except theme 'territoire': computed at run time from the communes).
-- One row per offending indicator. No parameters.
SELECT i.indicator_id,
       CASE WHEN trim(i.definition_fr) = '' OR trim(i.definition_en) = '' THEN 'définition manquante'
            WHEN i.unit NOT IN ('percent', 'count', 'count_fte', 'euros', 'points', 'density') THEN 'unité inconnue'
            WHEN s.source_id IS NULL THEN 'source par défaut inconnue'
            ELSE 'aucune observation' END AS probleme
FROM indicators i
LEFT JOIN sources s ON s.source_id = i.default_source_id
WHERE trim(i.definition_fr) = '' OR trim(i.definition_en) = ''
   OR i.unit NOT IN ('percent', 'count', 'count_fte', 'euros', 'points', 'density')
   OR s.source_id IS NULL
   OR (i.theme <> 'territoire'
       AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.indicator_id = i.indicator_id));
