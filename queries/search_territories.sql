-- Territories whose name or code matches a search, for the territory picker. Names are
-- compared lower-cased, without accents or punctuation, with "st"/"ste" read as
-- "saint"/"sainte"; $q must be normalised the same way (ess_data.search.normalise).
-- Homonyms are told apart by their department. Best matches first: exact code, exact name,
-- name starting with the search, then containing it; larger levels first.
-- Grain: one row per matching territory (at most $limit). Parameters: $q, $code, $limit.
WITH t AS (
    SELECT t.level, t.code, t.name, t.departement_code, d.name AS departement_name,
           t.population,
           regexp_replace(regexp_replace(
               ' ' || regexp_replace(strip_accents(lower(t.name)), '[^a-z0-9]+', ' ', 'g') || ' ',
               ' st ', ' saint ', 'g'), ' ste ', ' sainte ', 'g') AS norm
    FROM territories t
    LEFT JOIN territories d ON d.level = 'departement' AND d.code = t.departement_code
    WHERE t.level IN ('region', 'departement', 'epci', 'commune')
)
SELECT level, code, name, departement_code, departement_name, population,
       CASE WHEN upper(code) = $code THEN 0
            WHEN trim(norm) = $q THEN 1
            WHEN starts_with(trim(norm), $q) THEN 2
            ELSE 3 END AS score
FROM t
WHERE upper(code) = $code OR contains(norm, ' ' || $q)
ORDER BY score,
         CASE level WHEN 'region' THEN 1 WHEN 'departement' THEN 2 WHEN 'epci' THEN 3 ELSE 4 END,
         population DESC NULLS LAST, code
LIMIT $limit;
