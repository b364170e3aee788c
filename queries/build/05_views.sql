-- Convenience views for the app's queries.

-- Every territory name an observation can point to: official geography and pseudo-territories.
CREATE VIEW territory_names AS
SELECT level AS territory_level, code AS territory_code, name AS name_fr, name AS name_en
FROM territories
UNION ALL
SELECT territory_level, territory_code, name_fr, name_en FROM pseudo_territories;

-- ONE RULE DECIDES WHAT IS DRAWN. Every chart line, bar group, map and ranking draws one
-- *series*: one indicator x one source x one breakdown value (its scope). Two series are never
-- drawn as one. For each indicator and territory level, the sources are put in one order, the
-- most recent comparable series first (written in plain words in docs/methods.md):
--   1. coverage: the most territories of the level that the source publishes for one dated
--      period (a complete series of the level first; at levels that are not drawn on maps,
--      france, rural, ..., every source counts one territory);
--   2. recency: the newest dated period with that coverage (a source with undated figures only
--      comes after every dated one);
--   3. the registry's precedence to break a tie: the indicator's default source, then
--      seed/source_precedence.csv, then sources added by imports, newest publication first.
-- A map opens on the first source's best period (map_offers.default_offer); where a single
-- figure or line is shown for a territory (a key message, a profile chart, a deck chart, a
-- cell of a side-by-side table), the series shown is the first source in this order that
-- publishes the territory (observations_labelled.displayed). Pages, maps, exports and decks
-- read these columns; none chooses a source by itself.

-- Each source's best dated offer at each level: the period it publishes the most territories
-- of the level for (newest on a tie). `period_key` orders periods by their end ('2018-2021'
-- ends in 2021). Grain: one row per indicator x level x source with a dated figure.
CREATE VIEW source_coverage AS
SELECT indicator_id, territory_level, source_id, period AS best_period,
       period_key AS best_period_key, n_territories
FROM (
    SELECT indicator_id, territory_level, source_id, period,
           CASE WHEN regexp_matches(period, '^[0-9]{4}-[0-9]{4}$') THEN substr(period, 6, 4)
                ELSE period END AS period_key,
           CASE WHEN territory_level IN ('region', 'departement', 'epci', 'commune')
                THEN count(DISTINCT territory_code) ELSE 1 END AS n_territories
    FROM observations
    WHERE period <> 'nd'
    GROUP BY indicator_id, territory_level, source_id, period
)
QUALIFY row_number() OVER (PARTITION BY indicator_id, territory_level, source_id
                           ORDER BY n_territories DESC, period_key DESC, period DESC) = 1;

-- Each indicator's sources at each level in that order (source_order 1 = shown first).
-- Grain: one row per indicator x level x source.
CREATE VIEW source_order AS
SELECT o.indicator_id, o.territory_level, o.source_id, c.best_period, c.n_territories,
       row_number() OVER (PARTITION BY o.indicator_id, o.territory_level
                          ORDER BY c.n_territories DESC NULLS LAST,
                                   c.best_period_key DESC NULLS LAST,
                                   c.best_period DESC NULLS LAST,
                                   o.source_id <> i.default_source_id, p.rank NULLS LAST,
                                   s.published DESC NULLS LAST, o.source_id) AS source_order
FROM (SELECT DISTINCT indicator_id, territory_level, source_id FROM observations) o
JOIN indicators i USING (indicator_id)
JOIN sources s USING (source_id)
LEFT JOIN source_coverage c USING (indicator_id, territory_level, source_id)
LEFT JOIN source_precedence p USING (indicator_id, source_id);

-- Observations with everything needed to show them: labels, unit, territory name, source, the
-- series they belong to, the order of their source at their level (source_order) and whether
-- theirs is the source shown for their territory (`displayed`: first in source_order among the
-- sources publishing that indicator for that territory, whatever the period and breakdown: one
-- source per indicator and territory).
CREATE VIEW observations_labelled AS
SELECT o.*, i.theme, i.label_fr, i.label_en, i.unit, i.decimals, i.breakdown,
       b.label_fr AS breakdown_label_fr, b.label_en AS breakdown_label_en, b.sort_order,
       t.name_fr AS territory_name_fr, t.name_en AS territory_name_en,
       s.title AS source_title, s.publisher AS source_publisher, s.published AS source_published,
       s.url AS source_url,
       o.indicator_id || '~' || o.source_id || '~' || o.breakdown_value AS series_id,
       so.source_order,
       so.source_order = min(so.source_order) OVER (
           PARTITION BY o.indicator_id, o.territory_level, o.territory_code)
           AS displayed
FROM observations o
JOIN indicators i USING (indicator_id)
JOIN sources s USING (source_id)
JOIN source_order so USING (indicator_id, territory_level, source_id)
LEFT JOIN breakdowns b ON b.breakdown = i.breakdown AND b.breakdown_value = o.breakdown_value
LEFT JOIN territory_names t USING (territory_level, territory_code);

-- What a map can show: an indicator at a level for one dated period from ONE source (no
-- breakdown), with the territories that source publishes; undated figures ('nd') never go on
-- a map. `n_sources`: how many sources publish that indicator, level and period (> 1: the
-- selector names the source). `default_offer`: the one the map opens on, the best period of
-- the first source in source_order (most territories, then newest).
-- Grain: one row per indicator x level x period x source.
CREATE VIEW map_offers AS
SELECT *,
       row_number() OVER (PARTITION BY indicator_id, territory_level
                          ORDER BY source_order, n_territories DESC, period DESC) = 1
           AS default_offer
FROM (
    SELECT indicator_id, territory_level, period, source_id, source_publisher, source_title,
           source_order, count(*) AS n_territories,
           count(*) OVER (PARTITION BY indicator_id, territory_level, period) AS n_sources
    FROM observations_labelled
    WHERE breakdown_value = '' AND period <> 'nd'
      AND territory_level IN ('region', 'departement', 'epci', 'commune')
    GROUP BY indicator_id, territory_level, period, source_id, source_publisher, source_title,
             source_order
);
