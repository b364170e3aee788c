-- Statistical secrecy of each imported ESS employment table: cells hidden by level, primary
-- (1 or 2 establishments, or marked secret) and secondary (hidden to protect them), among all
-- cells of that level (for /sources; the jobs hidden are in the import's report).
-- Grain: one row per import x level. No parameters.
SELECT c.import_id, c.source_id, c.level,
       count(*) AS n_cells,
       count(*) FILTER (WHERE c.secret = 'primaire') AS n_primary,
       count(*) FILTER (WHERE c.secret = 'secondaire') AS n_secondary
FROM ess_emploi_cells c
GROUP BY c.import_id, c.source_id, c.level
ORDER BY c.import_id DESC,
         list_position(['commune', 'epci', 'departement', 'region', 'rural', 'hors_rural',
                        'france'], c.level);
