-- Up to 5 malformed values per checked column of a SIRENE legal-unit file (view sirene_ul_src),
-- run only when imports/sirene_check_ul found some. Grain: one row per column x example value.
-- No parameters.
(SELECT DISTINCT 'siren' AS col, siren AS value FROM sirene_ul_src
 WHERE NOT regexp_full_match(coalesce(siren, ''), '[0-9]{9}') LIMIT 5)
UNION ALL
(SELECT DISTINCT 'ess', ess FROM sirene_ul_src WHERE ess NOT IN ('O', 'N') LIMIT 5)
UNION ALL
(SELECT DISTINCT 'cj', cj FROM sirene_ul_src
 WHERE ess = 'O' AND NOT regexp_full_match(coalesce(cj, ''), '[0-9]{4}') LIMIT 5);
