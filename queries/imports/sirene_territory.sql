-- Active ESS establishments of any territory from the latest SIRENE import, by family (and all
-- families together: famille NULL), with the micro-establishment share (bands 01-03 among
-- employer establishments with at least one employee; band 00 and non-employers left out).
-- Grain: one row per family, plus one for all families. Parameters: $level (commune, epci,
-- departement, region, france, rural, hors_rural), $code (for rural / hors_rural: the rural
-- definition id).
WITH latest AS (SELECT max(import_id) AS import_id FROM sirene_etablissements),
rows AS (
    SELECT s.*, t.departement_code, t.region_code, t.epci_code, cr.is_rural
    FROM sirene_etablissements s
    JOIN latest USING (import_id)
    JOIN territories t ON t.level = 'commune' AND t.code = s.commune_code
    LEFT JOIN commune_rurality cr
      ON cr.commune_code = s.commune_code AND cr.rural_definition_id = $code
)
SELECT famille, max(stock_date) AS stock_date, sum(n) AS n_actifs,
       coalesce(sum(n) FILTER (WHERE employeur = 'O'), 0) AS n_employeurs,
       coalesce(sum(n) FILTER (WHERE employeur = 'O' AND tranche = '00'), 0)
           AS n_employeurs_sans_salarie,
       coalesce(sum(n) FILTER (WHERE employeur = 'O' AND tranche IN ('01', '02', '03')), 0)
           AS n_micro,
       coalesce(sum(n) FILTER (WHERE employeur = 'O' AND tranche IN ('01', '02', '03', '11', '12',
                               '21', '22', '31', '32', '41', '42', '51', '52', '53')), 0)
           AS n_avec_salaries,
       100.0 * coalesce(sum(n) FILTER (WHERE employeur = 'O' AND tranche IN ('01', '02', '03')), 0)
           / nullif(sum(n) FILTER (WHERE employeur = 'O' AND tranche IN ('01', '02', '03', '11',
                    '12', '21', '22', '31', '32', '41', '42', '51', '52', '53')), 0) AS part_micro
FROM rows
WHERE CASE $level WHEN 'france' THEN true
                  WHEN 'region' THEN region_code = $code
                  WHEN 'departement' THEN departement_code = $code
                  WHEN 'epci' THEN epci_code = $code
                  WHEN 'commune' THEN commune_code = $code
                  WHEN 'rural' THEN is_rural
                  WHEN 'hors_rural' THEN NOT is_rural END
GROUP BY GROUPING SETS ((famille), ())
ORDER BY famille NULLS FIRST;
