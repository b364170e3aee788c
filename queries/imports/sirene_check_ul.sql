-- Validation of a SIRENE legal-unit file (view sirene_ul_src, all text): row count and, per
-- checked column, how many values are malformed (examples: imports/sirene_examples_ul).
-- Grain: one row (the whole file). No parameters.
SELECT count(*) AS n_rows,
       count(*) FILTER (WHERE NOT regexp_full_match(coalesce(siren, ''), '[0-9]{9}')) AS bad_siren,
       count(*) FILTER (WHERE ess NOT IN ('O', 'N')) AS bad_ess,
       count(*) FILTER (WHERE ess = 'O' AND NOT regexp_full_match(coalesce(cj, ''), '[0-9]{4}'))
           AS bad_cj
FROM sirene_ul_src;
