-- Codes and names of one level of the territory reference, to check an imported file's codes.
-- Grain: one row per territory of the level. Parameters: $level.
SELECT code, name FROM territories WHERE level = $level ORDER BY code;
