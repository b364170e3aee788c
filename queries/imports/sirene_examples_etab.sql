-- Up to 5 malformed values per checked column of a SIRENE establishment file (view
-- sirene_etab_src), run only when imports/sirene_check_etab found some.
-- Grain: one row per column x example value. No parameters.
(SELECT DISTINCT 'siren' AS col, siren AS value FROM sirene_etab_src
 WHERE NOT regexp_full_match(coalesce(siren, ''), '[0-9]{9}') LIMIT 5)
UNION ALL
(SELECT DISTINCT 'siret', siret FROM sirene_etab_src
 WHERE NOT regexp_full_match(coalesce(siret, ''), '[0-9]{14}') LIMIT 5)
UNION ALL
(SELECT DISTINCT 'etat', etat FROM sirene_etab_src WHERE etat NOT IN ('A', 'F') LIMIT 5)
UNION ALL
(SELECT DISTINCT 'tranche', tranche FROM sirene_etab_src
 WHERE tranche NOT IN ('NN', '00', '01', '02', '03', '11', '12', '21', '22', '31', '32', '41',
                       '42', '51', '52', '53') LIMIT 5)
UNION ALL
(SELECT DISTINCT 'employeur', employeur FROM sirene_etab_src
 WHERE employeur NOT IN ('O', 'N') LIMIT 5)
UNION ALL
(SELECT DISTINCT 'commune', commune FROM sirene_etab_src
 WHERE commune <> '' AND NOT regexp_full_match(commune, '[0-9]{5}|2[AB][0-9]{3}') LIMIT 5);
