-- The departmental DLA carriers of one region: every department of the region, with the
-- carrier(s) a bundled source names (name NULL where none was found), and that source.
-- Grain: one row per department x carrier (one row with NULLs for a department without one).
-- Parameters: $region_code.
SELECT d.code AS departement_code, d.name AS departement_name, st.name, st.note, st.source_id,
       s.title AS source_title, s.publisher AS source_publisher, s.published AS source_published,
       s.notes AS source_notes,
       coalesce(s.url, s.read_at_url) AS source_url
FROM territories d
LEFT JOIN structures st
       ON st.kind = 'dla_departemental' AND st.departement_code = d.code
LEFT JOIN sources s ON s.source_id = st.source_id
WHERE d.level = 'departement' AND d.region_code = $region_code
ORDER BY d.code, st.name;
