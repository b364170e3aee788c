-- The bodies of the support network covering one region, with their source.
-- Grain: one row per body. Parameters: $region_code.
SELECT st.kind, st.name, st.note, s.title AS source_title, s.publisher AS source_publisher
FROM structures st LEFT JOIN sources s USING (source_id)
WHERE st.region_code = $region_code
ORDER BY CASE st.kind WHEN 'service_etat' THEN 1 WHEN 'sgar' THEN 2 WHEN 'cress' THEN 3 ELSE 4 END,
         st.name;
