-- rollback: 002
-- description: Drop the initial tenant tables of this tenant schema
-- destroys: all of the tenant's business data: users, stations, pumps, nozzles, fuel prices,
-- every nozzle reading and sale, creditors, their balances and payments.

DROP TABLE sales;
DROP FUNCTION sales_apply_credit_balance();
DROP TABLE credit_payments;
DROP FUNCTION credit_payments_apply_balance();
DROP TABLE creditors;
DROP TABLE nozzle_readings;
DROP VIEW fuel_price_periods;
DROP TABLE fuel_prices;
DROP TABLE nozzles;
DROP FUNCTION nozzles_fill_station_id();
DROP TABLE pumps;
DROP TABLE stations;
DROP TABLE users;
DROP FUNCTION set_updated_at();
