-- Build check: the registry's source precedence is complete and coherent: every indicator x
-- source of the seed observations has a rank (imported sources come after, newest first), the default source ranks first, no rank names an
-- unknown indicator or source. One row per problem. No parameters.
SELECT o.indicator_id, o.source_id, 'source sans rang dans source_precedence.csv' AS probleme
FROM (SELECT DISTINCT indicator_id, source_id FROM observations) o
JOIN sources s USING (source_id)
LEFT JOIN source_precedence p USING (indicator_id, source_id)
WHERE p.rank IS NULL AND s.kind <> 'import'
UNION ALL
SELECT i.indicator_id, i.default_source_id, 'la source par défaut n''est pas au rang 1'
FROM indicators i
JOIN source_precedence p ON p.indicator_id = i.indicator_id AND p.rank = 1
WHERE p.source_id <> i.default_source_id
UNION ALL
SELECT p.indicator_id, p.source_id, 'indicateur ou source inconnu'
FROM source_precedence p
LEFT JOIN indicators i USING (indicator_id)
LEFT JOIN sources s USING (source_id)
WHERE i.indicator_id IS NULL OR s.source_id IS NULL;
