-- Display shapes of one level (WKB, WGS84; overseas departments as insets).
-- Grain: one row per territory of the level. Parameters: $level.
SELECT t.code, t.name, g.geometry_inset AS geometry
FROM territories t JOIN geometries g USING (level, code)
WHERE t.level = $level AND g.geometry_inset IS NOT NULL
ORDER BY t.code;
