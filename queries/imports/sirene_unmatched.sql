-- Communes of the staged SIRENE establishments unknown to the territory reference, with how many
-- active ESS establishments each holds. Grain: one row per unknown commune code. No parameters.
SELECT r.commune_code AS code, count(*) AS n
FROM staging_sirene_rows r
WHERE r.commune_code IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM territories t WHERE t.level = 'commune' AND t.code = r.commune_code)
GROUP BY ALL
ORDER BY n DESC, code;
