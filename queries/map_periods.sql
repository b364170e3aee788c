-- What a map of an indicator at a territory level can show (view map_offers): one row per dated
-- period x source, newest period first, then the sources in precedence order. A period that
-- several sources publish comes once per source (n_sources > 1: the selector names it);
-- undated figures are never offered. `default_offer`: the one the map opens on (decided in the
-- view map_offers: the most recent comparable series).
-- Grain: one row per period x source. Parameters: $indicator_id, $level.
SELECT period, source_id, source_publisher, source_title, n_territories, n_sources,
       default_offer
FROM map_offers
WHERE indicator_id = $indicator_id AND territory_level = $level
ORDER BY period DESC, source_order;
