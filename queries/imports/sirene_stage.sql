-- Active establishments of ESS legal units, streamed from the SIRENE views (sirene_ul_src,
-- sirene_etab_src, all text) into staging tables: the ESS legal units with their family (from
-- the legal category, see docs/imports.md), then one row per active establishment of them, with
-- arrondissements folded into their commune (Paris 75101-75120 -> 75056, Lyon 69381-69389 ->
-- 69123, Marseille 13201-13216 -> 13055).
-- Grain: one row per active ESS establishment in staging_sirene_rows. No parameters.
CREATE OR REPLACE TABLE staging_sirene_ul AS
SELECT siren,
       CASE WHEN cj LIKE '92%' THEN 'associations'
            WHEN cj = '9300' THEN 'fondations'
            WHEN cj LIKE '82%' OR cj = '6411' THEN 'mutuelles'
            WHEN cj LIKE '63%'
              OR (cj[1:2] IN ('54', '55', '56')
                  AND cj[3:4] IN ('43', '47', '51', '52', '53', '54', '55', '58', '59', '60'))
                 THEN 'cooperatives'
            ELSE 'autres' END AS famille
FROM sirene_ul_src
WHERE ess = 'O';
CREATE OR REPLACE TABLE staging_sirene_rows AS
SELECT e.siret,
       CASE WHEN e.commune BETWEEN '75101' AND '75120' THEN '75056'
            WHEN e.commune BETWEEN '69381' AND '69389' THEN '69123'
            WHEN e.commune BETWEEN '13201' AND '13216' THEN '13055'
            ELSE nullif(e.commune, '') END AS commune_code,
       u.famille,
       coalesce(nullif(e.tranche, ''), 'inconnue') AS tranche,
       coalesce(nullif(e.employeur, ''), 'inconnu') AS employeur
FROM sirene_etab_src e
JOIN staging_sirene_ul u USING (siren)
WHERE e.etat = 'A';
