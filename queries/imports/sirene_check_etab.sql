-- Validation of a SIRENE establishment file (view sirene_etab_src, all text): row count and, per
-- checked column, how many values are malformed (examples: imports/sirene_examples_etab).
-- Counts only, so the pass over tens of millions of rows stays fast.
-- Grain: one row (the whole file). No parameters.
SELECT count(*) AS n_rows,
       count(*) FILTER (WHERE NOT regexp_full_match(coalesce(siren, ''), '[0-9]{9}')) AS bad_siren,
       count(*) FILTER (WHERE NOT regexp_full_match(coalesce(siret, ''), '[0-9]{14}')) AS bad_siret,
       count(*) FILTER (WHERE etat NOT IN ('A', 'F')) AS bad_etat,
       count(*) FILTER (WHERE tranche NOT IN ('NN', '00', '01', '02', '03', '11', '12', '21', '22',
                                              '31', '32', '41', '42', '51', '52', '53'))
           AS bad_tranche,
       count(*) FILTER (WHERE employeur NOT IN ('O', 'N')) AS bad_employeur,
       count(*) FILTER (WHERE commune <> ''
                        AND NOT regexp_full_match(commune, '[0-9]{5}|2[AB][0-9]{3}'))
           AS bad_commune,
       -- the stock date when neither --date nor the file names give it: the latest processing
       -- date (text '2024-03-31T02:13:45', or a timestamp in Parquet); a date after today
       -- cannot be a processing date and is left out rather than taken as the stock's date
       max(processed) FILTER (WHERE processed <= current_date) AS last_processed
FROM (SELECT *, try_cast(left(traitement, 10) AS DATE) AS processed FROM sirene_etab_src);
