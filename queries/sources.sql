-- Every source with the indicators it feeds. Grain: one row per source. No parameters.
SELECT s.source_id, s.title, s.publisher, s.published, s.url, s.read_at_url, s.licence, s.kind,
       s.notes, count(o.indicator_id) AS n_observations,
       string_agg(DISTINCT o.indicator_id, ', ' ORDER BY o.indicator_id) AS indicator_ids
FROM sources s LEFT JOIN observations o USING (source_id)
GROUP BY ALL
ORDER BY s.publisher, s.published DESC NULLS LAST, s.source_id;
