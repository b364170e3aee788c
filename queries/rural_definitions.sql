-- The definitions of "rural" with their source. Grain: one row per definition. No parameters.
SELECT d.*, s.title AS source_title, s.publisher AS source_publisher
FROM rural_definitions d LEFT JOIN sources s USING (source_id)
ORDER BY d.is_approximation, d.vintage DESC NULLS LAST;
