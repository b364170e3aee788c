-- Convenience views for the app's queries.

-- Every territory name an observation can point to: official geography and pseudo-territories.
CREATE VIEW territory_names AS
SELECT level AS territory_level, code AS territory_code, name AS name_fr, name AS name_en
FROM territories
UNION ALL
SELECT territory_level, territory_code, name_fr, name_en FROM pseudo_territories;

-- ONE RULE DECIDES WHAT IS DRAWN. Every chart line, bar group, map and ranking draws one
-- *series*: one indicator x one source x one breakdown value (its scope). Two series are never
-- drawn as one. Where a single figure must be shown for a territory (a key message, a deck
-- chart, a cell of a side-by-side table), the series shown is the first one covering it in the
-- registry's precedence: the indicator's default source, then seed/source_precedence.csv, then
-- sources added by imports (not in it), newest publication first. Pages, maps, exports and
-- decks read these columns; none chooses a source by itself.

-- Each indicator's sources in precedence order (source_order 1 = shown first).
CREATE VIEW source_order AS
SELECT o.indicator_id, o.source_id,
       row_number() OVER (PARTITION BY o.indicator_id
                          ORDER BY o.source_id <> i.default_source_id, p.rank NULLS LAST,
                                   s.published DESC NULLS LAST, o.source_id) AS source_order
FROM (SELECT DISTINCT indicator_id, source_id FROM observations) o
JOIN indicators i USING (indicator_id)
JOIN sources s USING (source_id)
LEFT JOIN source_precedence p USING (indicator_id, source_id);

-- Observations with everything needed to show them: labels, unit, territory name, source, the
-- series they belong to, and whether theirs is the source shown for their territory
-- (`displayed`: first in precedence among the sources publishing that indicator for that
-- territory, whatever the period and breakdown: one source per indicator and territory).
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
JOIN source_order so USING (indicator_id, source_id)
LEFT JOIN breakdowns b ON b.breakdown = i.breakdown AND b.breakdown_value = o.breakdown_value
LEFT JOIN territory_names t USING (territory_level, territory_code);

-- What a map can show: an indicator at a level for one dated period from ONE source (no
-- breakdown), with the territories that source publishes; undated figures ('nd') never go on
-- a map. `n_sources`: how many sources publish that indicator, level and period (> 1: the
-- selector names the source). Grain: one row per indicator x level x period x source.
CREATE VIEW map_offers AS
SELECT indicator_id, territory_level, period, source_id, source_publisher, source_title,
       source_order, count(*) AS n_territories,
       count(*) OVER (PARTITION BY indicator_id, territory_level, period) AS n_sources
FROM observations_labelled
WHERE breakdown_value = '' AND period <> 'nd'
  AND territory_level IN ('region', 'departement', 'epci', 'commune')
GROUP BY indicator_id, territory_level, period, source_id, source_publisher, source_title,
         source_order;
