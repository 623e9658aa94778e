-- version: 003
-- description: Add profit tracking: cost price on fuel prices, cost and profit on sales
-- scope: tenant
-- depends: 002
-- transaction: per-migration
-- environments: all
-- lint-ack: constraint-without-not-valid each CHECK is on columns added by the same statement with DEFAULT 0, which every existing row passes; the check's scan runs under the lock the ALTER takes anyway (released before lint; apply in a quiet period, see below)
-- lint-ack: index-without-concurrently the covering index is built with the columns it covers, in one transaction (released before lint; apply in a quiet period, see below)
--
-- New columns are NOT NULL with a constant DEFAULT, which PostgreSQL adds without rewriting the
-- table. Existing sales get cost 0 and profit 0, meaning "cost not recorded" (see the CHECK).
-- Building the covering index locks sales against writes while it builds: on a large tenant,
-- apply in a quiet period.

-- ---------------------------------------------------------------------------------------------
-- fuel_prices: purchase cost alongside the selling price
-- ---------------------------------------------------------------------------------------------
ALTER TABLE fuel_prices
    ADD COLUMN cost_price_per_litre numeric(10,3) NOT NULL DEFAULT 0,
    ADD CONSTRAINT fuel_prices_cost_price_per_litre_check CHECK (cost_price_per_litre >= 0);

COMMENT ON COLUMN fuel_prices.cost_price_per_litre IS
    'Purchase cost in INR per litre for the station (the oil company''s price to the dealer) '
    'during the same period as the selling price; 0 means not recorded. The dealer margin is '
    'price_per_litre - cost_price_per_litre.';
COMMENT ON CONSTRAINT fuel_prices_cost_price_per_litre_check ON fuel_prices IS
    'A cost price is never negative; 0 means not recorded.';

-- ---------------------------------------------------------------------------------------------
-- sales: cost and profit of each sale
-- ---------------------------------------------------------------------------------------------
ALTER TABLE sales
    ADD COLUMN cost_price_per_litre numeric(10,3) NOT NULL DEFAULT 0,
    ADD COLUMN cost_amount numeric(12,2) NOT NULL DEFAULT 0,
    ADD COLUMN profit numeric(12,2) NOT NULL DEFAULT 0,
    ADD CONSTRAINT sales_cost_price_per_litre_check CHECK (cost_price_per_litre >= 0),
    ADD CONSTRAINT sales_profit_check CHECK (
        (cost_price_per_litre = 0 AND cost_amount = 0 AND profit = 0)
        OR (cost_price_per_litre > 0
            AND cost_amount = round(volume * cost_price_per_litre, 2)
            AND profit = amount - cost_amount));

COMMENT ON COLUMN sales.cost_price_per_litre IS
    'Cost price per litre in INR in force at sold_at (fuel_prices.cost_price_per_litre), copied '
    'onto the sale; 0 when the cost was not recorded (including every sale made before profit '
    'tracking existed).';
COMMENT ON COLUMN sales.cost_amount IS 'Cost of the fuel sold in INR: round(volume * cost_price_per_litre, 2); 0 when not recorded.';
COMMENT ON COLUMN sales.profit IS
    'Gross profit in INR: amount - cost_amount (negative when sold below cost); 0 when the cost '
    'was not recorded. Profit reports should count only sales with cost_price_per_litre > 0 as '
    'having a known profit.';
COMMENT ON CONSTRAINT sales_cost_price_per_litre_check ON sales IS 'A cost price is never negative; 0 means not recorded.';
COMMENT ON CONSTRAINT sales_profit_check ON sales IS
    'Either the cost is not recorded (cost price, cost amount and profit all 0) or it is, and then '
    'cost_amount = round(volume * cost_price_per_litre, 2) and profit = amount - cost_amount.';

-- ---------------------------------------------------------------------------------------------
-- Profit reports: sales of a station over a time range, answered from the index alone
-- ---------------------------------------------------------------------------------------------
-- Replaces the plain (station_id, sold_at) index of 002 (which it also serves as: the foreign-key
-- index of sales.station_id), so sales keeps one index on that key, not two.
DROP INDEX sales_station_id_sold_at_idx;

CREATE INDEX sales_station_id_sold_at_profit_idx ON sales (station_id, sold_at)
    INCLUDE (nozzle_id, volume, amount, cost_amount, profit);

COMMENT ON INDEX sales_station_id_sold_at_profit_idx IS
    'Sales of a station by time, carrying the figures a profit report sums (volume, amount, cost, '
    'profit; nozzle_id to group by fuel type), so such reports can use index-only scans. Also the '
    'foreign-key index of sales.station_id.';

-- ---------------------------------------------------------------------------------------------
-- fuel_price_periods: show the cost price too (a new last column)
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE VIEW fuel_price_periods AS
SELECT fp.id,
       fp.station_id,
       fp.fuel_type,
       fp.price_per_litre,
       fp.valid_from,
       lead(fp.valid_from) OVER w AS valid_to,
       fp.cost_price_per_litre
  FROM fuel_prices AS fp
WINDOW w AS (PARTITION BY fp.station_id, fp.fuel_type ORDER BY fp.valid_from);

COMMENT ON COLUMN fuel_price_periods.cost_price_per_litre IS
    'Purchase cost in INR per litre during the period; 0 means not recorded.';
