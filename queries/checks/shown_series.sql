-- Build check: the rule of 05_views.sql chose exactly one thing each time: one source shown per
-- indicator and territory (observations_labelled.displayed), one default map per indicator and
-- level (map_offers.default_offer), never an undated one, and the default map is the best
-- period of the first source in source_order. One row per problem. No parameters.
SELECT indicator_id, territory_level || ' ' || territory_code AS ou,
       'aucune ou plusieurs sources affichées' AS probleme
FROM observations_labelled
GROUP BY indicator_id, territory_level, territory_code
HAVING count(DISTINCT CASE WHEN displayed THEN source_id END) <> 1
UNION ALL
SELECT indicator_id, territory_level, 'aucune ou plusieurs cartes par défaut'
FROM map_offers
GROUP BY indicator_id, territory_level
HAVING count(*) FILTER (WHERE default_offer) <> 1
UNION ALL
SELECT m.indicator_id, m.territory_level || ' ' || m.period || ' ' || m.source_id,
       'la carte par défaut n''est pas la meilleure période de la première source'
FROM map_offers m
JOIN source_order o USING (indicator_id, territory_level, source_id)
WHERE m.default_offer
  AND (m.period = 'nd' OR m.n_territories < (
          SELECT max(n_territories) FROM map_offers x
          WHERE x.indicator_id = m.indicator_id AND x.territory_level = m.territory_level
            AND x.source_id = m.source_id)
       OR EXISTS (SELECT 1 FROM map_offers y
                  WHERE y.indicator_id = m.indicator_id
                    AND y.territory_level = m.territory_level
                    AND y.source_order < m.source_order));
