-- Validation of a SIRENE legal-unit file (view sirene_ul_src, all text): row count and, per
-- checked column, how many values are malformed (examples: imports/sirene_examples_ul).
-- Grain: one row (the whole file). No parameters.
SELECT count(*) AS n_rows,
       count(*) FILTER (WHERE NOT regexp_full_match(coalesce(siren, ''), '[0-9]{9}')) AS bad_siren,
       count(*) FILTER (WHERE ess NOT IN ('O', 'N')) AS bad_ess,
       count(*) FILTER (WHERE ess = 'O' AND NOT regexp_full_match(coalesce(cj, ''), '[0-9]{4}'))
           AS bad_cj,
       -- the stock date when neither --date nor the file names give it: the latest processing
       -- date (text '2024-03-31T02:13:45', or a timestamp in Parquet); a date after today
       -- cannot be a processing date and is left out rather than taken as the stock's date
       max(processed) FILTER (WHERE processed <= current_date) AS last_processed
FROM (SELECT *, try_cast(left(traitement, 10) AS DATE) AS processed FROM sirene_ul_src);
