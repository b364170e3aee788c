-- Our approximation of INSEE's density grid from the commune's mean density
-- (rural definition `approx_densite_communale`). Thresholds are INSEE's own cell thresholds
-- (inhabitants per km2 of a 1 km2 cell: 1,500 for dense centres, 300 for urban clusters, 25 for
-- the "peu dense" clusters) applied to the commune as a whole. They are fixed by the method,
-- not tuned to INSEE's published totals. Rural = classes 3 and 4, as in INSEE's 2020 definition.
INSERT INTO density_classes VALUES
    ('approx_densite_communale', '1', 'Urbain dense', 'Dense urban', false),
    ('approx_densite_communale', '2', 'Urbain intermédiaire', 'Intermediate urban', false),
    ('approx_densite_communale', '3', 'Rural peu dense', 'Rural, low density', true),
    ('approx_densite_communale', '4', 'Rural très peu dense', 'Rural, very low density', true);

INSERT INTO commune_rurality
WITH classed AS (
    SELECT code,
           CASE WHEN density IS NULL THEN NULL
                WHEN density >= 1500 THEN '1'
                WHEN density >= 300 THEN '2'
                WHEN density >= 25 THEN '3'
                ELSE '4' END AS class_code
    FROM territories WHERE level = 'commune'
)
SELECT c.code, 'approx_densite_communale', c.class_code, k.is_rural
FROM classed c
LEFT JOIN density_classes k
  ON k.rural_definition_id = 'approx_densite_communale' AND k.class_code = c.class_code;
