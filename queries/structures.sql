-- The regional bodies of the support network covering one region (State service, SGAR, CRESS,
-- regional DLA), with their website and the sources of the name and of the address.
-- Grain: one row per body. Parameters: $region_code.
SELECT st.kind, st.name, st.website, st.note, st.source_id,
       s.title AS source_title, s.publisher AS source_publisher, s.published AS source_published,
       s.notes AS source_notes,
       coalesce(s.url, s.read_at_url) AS source_url, st.website_source_id
FROM structures st
LEFT JOIN sources s ON s.source_id = st.source_id
WHERE st.region_code = $region_code AND st.departement_code IS NULL
ORDER BY CASE st.kind WHEN 'dla_regional' THEN 1 WHEN 'service_etat' THEN 2 WHEN 'cress' THEN 3
                      ELSE 4 END,
         st.name;
