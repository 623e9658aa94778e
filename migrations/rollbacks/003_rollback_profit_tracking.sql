-- rollback: 003
-- description: Remove profit tracking: cost and profit columns, the covering profit index
-- destroys: the cost price of every fuel price, and the cost price, cost amount and profit of
-- every sale. Selling prices, volumes and amounts are kept.

-- The view reads fuel_prices.cost_price_per_litre: drop it first, recreate it as 002 left it.
DROP VIEW fuel_price_periods;

DROP INDEX sales_station_id_sold_at_profit_idx;

ALTER TABLE sales
    DROP CONSTRAINT sales_profit_check,
    DROP CONSTRAINT sales_cost_price_per_litre_check,
    DROP COLUMN profit,
    DROP COLUMN cost_amount,
    DROP COLUMN cost_price_per_litre;

ALTER TABLE fuel_prices
    DROP CONSTRAINT fuel_prices_cost_price_per_litre_check,
    DROP COLUMN cost_price_per_litre;

-- The station/time index of 002 (the foreign-key index of sales.station_id).
CREATE INDEX sales_station_id_sold_at_idx ON sales (station_id, sold_at);

COMMENT ON INDEX sales_station_id_sold_at_idx IS
    'Sales of a station by time (daily sales and shift reports). Also the index of the foreign '
    'key sales_station_id_fkey.';

CREATE VIEW fuel_price_periods AS
SELECT fp.id,
       fp.station_id,
       fp.fuel_type,
       fp.price_per_litre,
       fp.valid_from,
       lead(fp.valid_from) OVER w AS valid_to
  FROM fuel_prices AS fp
WINDOW w AS (PARTITION BY fp.station_id, fp.fuel_type ORDER BY fp.valid_from);

COMMENT ON VIEW fuel_price_periods IS
    'Each fuel price with the end of its period: in force from valid_from (inclusive) to valid_to '
    '(exclusive; NULL = still in force). A time t falls in the row where valid_from <= t AND '
    '(valid_to IS NULL OR t < valid_to). Filters on station_id and fuel_type are pushed into the view.';
COMMENT ON COLUMN fuel_price_periods.id IS 'fuel_prices.id of the price.';
COMMENT ON COLUMN fuel_price_periods.station_id IS 'Station the price applies to.';
COMMENT ON COLUMN fuel_price_periods.fuel_type IS 'Fuel the price is for.';
COMMENT ON COLUMN fuel_price_periods.price_per_litre IS 'Retail selling price in INR per litre.';
COMMENT ON COLUMN fuel_price_periods.valid_from IS 'Start of the period (inclusive).';
COMMENT ON COLUMN fuel_price_periods.valid_to IS
    'End of the period (exclusive): the valid_from of the next price for the same station and fuel '
    'type; NULL while the price is the latest.';
