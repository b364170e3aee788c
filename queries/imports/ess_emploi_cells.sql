-- Imported ESS employment of one level, as it may be shown or exported: a secret cell reads
-- "secret statistique", never a number. Grain: one row per code x year x family of the level.
-- Parameters: $level (commune, epci, departement, region, france, rural, hors_rural).
SELECT c.level, c.code, coalesce(t.name, p.name_fr) AS name, c.year, c.famille,
       c.secret <> 'non' AS is_secret, c.secret, c.origin,
       c.etablissements, c.emplois_ess, c.emplois_total, c.part_ess,
       CASE WHEN c.secret <> 'non' THEN 'secret statistique'
            ELSE CAST(c.etablissements AS VARCHAR) END AS etablissements_affiche,
       CASE WHEN c.secret <> 'non' THEN 'secret statistique'
            ELSE coalesce(CAST(c.emplois_ess AS VARCHAR), 'non disponible') END AS emplois_ess_affiche,
       s.title AS source_title, s.published AS source_published
FROM ess_emploi_cells c
JOIN sources s USING (source_id)
LEFT JOIN territories t ON t.level = c.level AND t.code = c.code
LEFT JOIN pseudo_territories p ON p.territory_level = c.level AND p.territory_code = c.code
WHERE c.level = $level
ORDER BY c.code, c.year, c.famille;
