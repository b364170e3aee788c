-- Observations computed from one SIRENE import: active ESS establishments and the share of
-- micro-establishments (bands 01-03, 1 to 9 employees, among employer establishments with at
-- least one employee: bands 01 to 53; band 00, non-employers and unknown bands are left out) for
-- France, regions, departments, and rural / rest of the country under every commune-level rural
-- definition. Grain: one row inserted per indicator x territory.
-- Parameters: $import_id, $source_id, $period.
INSERT INTO observations
WITH rows AS (
    SELECT s.commune_code, s.tranche, s.employeur, s.n, t.region_code, t.departement_code
    FROM sirene_etablissements s
    JOIN territories t ON t.level = 'commune' AND t.code = s.commune_code
    WHERE s.import_id = $import_id
), placed AS (
    SELECT 'france' AS territory_level, 'FR' AS territory_code, tranche, employeur, n FROM rows
    UNION ALL
    SELECT 'region', region_code, tranche, employeur, n FROM rows
    UNION ALL
    SELECT 'departement', departement_code, tranche, employeur, n FROM rows
    UNION ALL
    SELECT CASE WHEN cr.is_rural THEN 'rural' ELSE 'hors_rural' END, cr.rural_definition_id,
           r.tranche, r.employeur, r.n
    FROM rows r
    JOIN commune_rurality cr ON cr.commune_code = r.commune_code AND cr.is_rural IS NOT NULL
    JOIN rural_definitions d ON d.rural_definition_id = cr.rural_definition_id AND d.commune_level
), agg AS (
    SELECT territory_level, territory_code, sum(n) AS n_actifs,
           coalesce(sum(n) FILTER (WHERE employeur = 'O' AND tranche IN ('01', '02', '03')), 0)
               AS n_micro,
           sum(n) FILTER (WHERE employeur = 'O' AND tranche IN ('01', '02', '03', '11', '12', '21',
                          '22', '31', '32', '41', '42', '51', '52', '53')) AS n_avec_salaries
    FROM placed
    GROUP BY ALL
)
SELECT 'etablissements_ess_actifs', territory_level, territory_code, $period, '', $source_id,
       n_actifs, NULL, NULL
FROM agg
UNION ALL
SELECT 'part_micro_etablissements_ess', territory_level, territory_code, $period, '', $source_id,
       100.0 * n_micro / n_avec_salaries, NULL,
       'calcul SIRENE : tranches 01 à 03 parmi les établissements employeurs ayant au moins un '
       || 'salarié (' || n_avec_salaries || ')'
FROM agg
WHERE n_avec_salaries > 0;
