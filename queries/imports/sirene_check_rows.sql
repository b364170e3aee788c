-- Checks on the staged active ESS establishments: legal units listed twice, establishments
-- listed twice, and establishments whose commune is missing or unknown to the reference.
-- Grain: one row (the whole import). No parameters.
SELECT (SELECT count(*) - count(DISTINCT siren) FROM staging_sirene_ul) AS dup_siren,
       (SELECT list(siren)[:5] FROM (SELECT siren FROM staging_sirene_ul GROUP BY siren
                                     HAVING count(*) > 1)) AS ex_dup_siren,
       (SELECT count(*) - count(DISTINCT siret) FROM staging_sirene_rows) AS dup_siret,
       (SELECT list(siret)[:5] FROM (SELECT siret FROM staging_sirene_rows GROUP BY siret
                                     HAVING count(*) > 1)) AS ex_dup_siret,
       (SELECT count(*) FROM staging_sirene_rows) AS n_active,
       (SELECT count(*) FROM staging_sirene_rows WHERE commune_code IS NULL) AS no_commune;
