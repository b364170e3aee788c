-- Build check: observation fields outside their allowed forms (territory level, period
-- format, qualifier, source kind). One row per offence. No parameters.
SELECT indicator_id, territory_level, territory_code, period, source_id,
       CASE WHEN territory_level NOT IN ('france', 'rural', 'hors_rural', 'urbain', 'periurbain',
                                         'region', 'departement', 'ancienne_region',
                                         'groupe_regions')
                 THEN 'niveau de territoire inconnu'
            WHEN NOT regexp_full_match(period, '(nd|\d{4}|\d{4}-|\d{4}-\d{4}|\d{4}-\d{2}-\d{2})')
                 THEN 'période mal formée (attendu AAAA, AAAA-AAAA, AAAA-, AAAA-MM-JJ ou nd)'
            ELSE 'qualificatif inconnu' END AS probleme
FROM observations
WHERE territory_level NOT IN ('france', 'rural', 'hors_rural', 'urbain', 'periurbain', 'region',
                              'departement', 'ancienne_region', 'groupe_regions')
   OR NOT regexp_full_match(period, '(nd|\d{4}|\d{4}-|\d{4}-\d{4}|\d{4}-\d{2}-\d{2})')
   OR coalesce(qualifier, 'environ') NOT IN ('environ', 'plus_de', 'moins_de')
UNION ALL
SELECT NULL, NULL, NULL, NULL, source_id, 'nature de source inconnue : ' || kind
FROM sources
WHERE kind NOT IN ('statistique_publique', 'etude', 'administration', 'presse', 'reseau', 'calcul',
                   'import');
