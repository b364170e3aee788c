-- Display shapes of one level inside a zone (WKB, WGS84). Overseas departments are insets on
-- maps of all France, and in their true place when the zone is their region or department.
-- An EPCI is in a zone when any of its communes is. Territories without a shape are left out.
-- Grain: one row per territory of the level in the zone.
-- Parameters: $level, $region_code and $departement_code (NULL: all of France).
SELECT t.code, t.name,
       CASE WHEN $region_code IS NULL AND $departement_code IS NULL THEN g.geometry_inset
            ELSE g.geometry END AS geometry
FROM territories t JOIN geometries g USING (level, code)
WHERE t.level = $level AND g.geometry IS NOT NULL
  AND CASE WHEN $level = 'epci' THEN t.code IN (
               SELECT epci_code FROM territories c
               WHERE c.level = 'commune'
                 AND ($region_code IS NULL OR c.region_code = $region_code)
                 AND ($departement_code IS NULL OR c.departement_code = $departement_code))
           ELSE ($region_code IS NULL OR t.region_code = $region_code)
                AND ($departement_code IS NULL OR t.departement_code = $departement_code) END
ORDER BY t.code;
