-- Store the staged active ESS establishments by commune, family, size band and employer flag
-- (communes of the reference only; the others are reported in import_unmatched).
-- Grain: one row per commune x family x band x employer flag. Parameters: $import_id, $stock_date.
INSERT INTO sirene_etablissements
SELECT $import_id, $stock_date, r.commune_code, r.famille, r.tranche, r.employeur, count(*)
FROM staging_sirene_rows r
JOIN territories t ON t.level = 'commune' AND t.code = r.commune_code
GROUP BY ALL;
