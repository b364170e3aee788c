-- The official geography from the committed reference extract (ref_* views of
-- ess_data/reference/*.parquet). Communes are the base; every higher level sums them.
-- Density = population of the communes whose area is known / their area.
INSERT INTO territories
SELECT 'commune', code, name, region_code, departement_code, epci_code,
       population, population_year, area_km2,
       population / NULLIF(area_km2, 0), 1, lon, lat
FROM ref_communes;

INSERT INTO territories
SELECT 'departement', d.code, d.name, d.region_code, d.code, NULL,
       sum(c.population), max(c.population_year), sum(c.area_km2),
       sum(c.population) FILTER (WHERE c.area_km2 IS NOT NULL) / NULLIF(sum(c.area_km2), 0),
       count(c.code), NULL, NULL
FROM ref_departements d LEFT JOIN ref_communes c ON c.departement_code = d.code
GROUP BY ALL;

INSERT INTO territories
SELECT 'region', r.code, r.name, r.code, NULL, NULL,
       sum(c.population), max(c.population_year), sum(c.area_km2),
       sum(c.population) FILTER (WHERE c.area_km2 IS NOT NULL) / NULLIF(sum(c.area_km2), 0),
       count(c.code), NULL, NULL
FROM ref_regions r LEFT JOIN ref_communes c ON c.region_code = r.code
GROUP BY ALL;

-- An EPCI may span departments: its departement_code is the one holding most of its population.
INSERT INTO territories
WITH per_dep AS (
    SELECT epci_code, departement_code, region_code, sum(population) AS pop
    FROM ref_communes WHERE epci_code IS NOT NULL GROUP BY ALL
), main_dep AS (
    SELECT epci_code, arg_max(departement_code, pop) AS departement_code,
           arg_max(region_code, pop) AS region_code
    FROM per_dep GROUP BY ALL
)
SELECT 'epci', e.code, e.name, m.region_code, m.departement_code, e.code,
       sum(c.population), max(c.population_year), sum(c.area_km2),
       sum(c.population) FILTER (WHERE c.area_km2 IS NOT NULL) / NULLIF(sum(c.area_km2), 0),
       count(c.code), NULL, NULL
FROM ref_epci e
LEFT JOIN ref_communes c ON c.epci_code = e.code
LEFT JOIN main_dep m ON m.epci_code = e.code
GROUP BY ALL;

INSERT INTO territories
SELECT 'france', 'FR', 'France', NULL, NULL, NULL,
       sum(population), max(population_year), sum(area_km2),
       sum(population) FILTER (WHERE area_km2 IS NOT NULL) / NULLIF(sum(area_km2), 0),
       count(*), NULL, NULL
FROM ref_communes;

INSERT INTO geometries
SELECT 'commune', code, geometry, geometry FROM ref_communes;
INSERT INTO geometries
SELECT 'epci', code, geometry, geometry FROM ref_epci;
INSERT INTO geometries
SELECT 'departement', code, geometry, geometry_inset FROM ref_departements;
INSERT INTO geometries
SELECT 'region', code, geometry, geometry_inset FROM ref_regions;
