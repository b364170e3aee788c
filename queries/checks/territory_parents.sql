-- Build check: territories whose parent does not exist (commune -> departement, region, EPCI;
-- departement -> region). A commune without EPCI is allowed (four island communes).
-- One row per broken link. No parameters.
SELECT t.level, t.code, 'parent ' || p.parent_level || ' ' || p.parent_code || ' introuvable' AS probleme
FROM territories t,
LATERAL (VALUES ('departement', t.departement_code), ('region', t.region_code), ('epci', t.epci_code))
    AS p(parent_level, parent_code)
WHERE t.level IN ('commune', 'departement')
  AND p.parent_code IS NOT NULL
  AND NOT (t.level = 'departement' AND p.parent_level = 'departement')
  AND NOT EXISTS (SELECT 1 FROM territories q WHERE q.level = p.parent_level AND q.code = p.parent_code);
