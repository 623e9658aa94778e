-- seed: comprehensive
-- description: Realistic volume of demo data for development, staging and benchmarks
-- environments: development, staging
-- tenants: demo_%
-- param: tenants = 3
-- param: stations_per_tenant = 3
-- param: pumps_per_station = 4
-- param: nozzles_per_pump = 2
-- param: days = 90
-- param: readings_per_day = 3
-- param: creditors_per_station = 4
-- param: attendants_per_station = 2
-- param: credit_sale_percent = 10
-- param: price_change_days = 20
-- param: delivery_days = 3
-- param: start_date = auto
--
-- The number of readings is tenants x stations_per_tenant x pumps_per_station x nozzles_per_pump
-- x days x readings_per_day (the defaults give 19,440 readings and 19,368 sales). About 10
-- million readings, for a benchmark, with e.g. tenants = 10, stations_per_tenant = 10,
-- pumps_per_station = 8, nozzles_per_pump = 4, days = 1042.
--
-- Every row has a deterministic id or natural key and is inserted with ON CONFLICT DO NOTHING,
-- so running the seed again adds nothing, and running it with larger sizes adds only the missing
-- rows. start_date (a date, or auto) and readings_per_day fix the timeline. With start_date =
-- auto the data of a new tenant is placed relative to the day the seed runs: its `days` days end
-- at the last reading time (06:00, 14:00, 22:00 India time) before now, so a new sandbox shows a
-- live station; a tenant seeded before keeps the timeline it was given. A fixed date (tests,
-- benchmarks) gives the same rows on any day. Do not change readings_per_day for tenants that
-- are already seeded (reseed into fresh tenants instead).
--
-- Data rules (all set-based, no loops):
-- * Readings are taken at 06:00, 14:00 and 22:00 India time (readings_per_day spaced evenly from
--   06:00). A nozzle's meter is opening + i x avg + noise(i) millilitres for its i-th reading,
--   with 0 <= noise < 0.9 x avg from a hash, so it only goes up, by 0.1 to 1.9 x avg each time.
-- * Each reading after a nozzle's first gets one sale: volume = the reading minus the previous
--   one, at the price in force (fuel_prices) at the reading's time; cost and profit likewise.
-- * Prices change every price_change_days at 06:00; a share (credit_sale_percent) of sales goes
--   on credit to the station's creditors, at most half a creditor's credit limit per week; each
--   creditor settles a week's credit two days after the week ends, so the outstanding balance
--   never exceeds the limit.
-- * Deliveries every delivery_days replace what was sold since the previous one; alerts are raised
--   for low stock, creditors near their limit, unusually large readings, and price changes.

-- section: public

SET LOCAL jit = off;

-- The plan catalogue, when missing (the production seed owns the catalogue's values).
INSERT INTO plans (id, name, description, max_stations, max_pumps_per_station,
                   max_nozzles_per_pump, max_users, price_monthly, features, is_active)
VALUES (md5('fuelsync:plan:starter')::uuid, 'Starter',
        'One station: readings, sales and daily reports.',
        1, 4, 4, 5, 999.00,
        '{"credit_management": false, "inventory": false, "alerts": true, "profit_reports": false,
          "api_access": false, "support": "email"}'::jsonb,
        true),
       (md5('fuelsync:plan:pro')::uuid, 'Pro',
        'Up to five stations with credit customers, inventory, alerts and profit reports.',
        5, 8, 6, 25, 2999.00,
        '{"credit_management": true, "inventory": true, "alerts": true, "profit_reports": true,
          "api_access": false, "support": "priority"}'::jsonb,
        true),
       (md5('fuelsync:plan:enterprise')::uuid, 'Enterprise',
        'Station networks: every feature, API access and a dedicated account manager.',
        50, 16, 8, 250, 9999.00,
        '{"credit_management": true, "inventory": true, "alerts": true, "profit_reports": true,
          "api_access": true, "support": "dedicated"}'::jsonb,
        true)
ON CONFLICT (name) DO NOTHING;

-- Platform admins. Password of every seeded account: FuelSync@Demo1 (bcrypt).
INSERT INTO admin_users (id, email, password_hash, name, role)
VALUES (md5('fuelsync:admin:admin@fuelsync.test')::uuid, 'admin@fuelsync.test',
        '$2b$10$Ob4ahg13llt4jyc4Zc5uEuuNQo0c/BjtlTvurXXtxYjodtW6qiyg6', 'Platform Admin', 'superadmin'),
       (md5('fuelsync:admin:support@fuelsync.test')::uuid, 'support@fuelsync.test',
        '$2b$10$Ob4ahg13llt4jyc4Zc5uEuuNQo0c/BjtlTvurXXtxYjodtW6qiyg6', 'Support Desk', 'support')
ON CONFLICT (email) DO NOTHING;

-- Tenants demo_001, demo_002, ... on the cheapest plan whose limits fit the seeded sizes (none
-- when the sizes exceed every plan, as in a benchmark).
INSERT INTO tenants (id, name, schema_name, plan_id, status, contact_email)
SELECT md5('fuelsync:tenant:' || t.schema_name)::uuid,
       t.name,
       t.schema_name,
       (SELECT pl.id
          FROM plans AS pl
         WHERE pl.is_active
           AND pl.max_stations >= sz.stations
           AND pl.max_pumps_per_station >= sz.pumps
           AND pl.max_nozzles_per_pump >= sz.nozzles
           AND pl.max_users >= 1 + sz.stations * (1 + sz.attendants)
         ORDER BY pl.price_monthly, pl.name
         LIMIT 1),
       'active',
       'accounts@' || replace(t.schema_name, '_', '-') || '.fuelsync.test'
  FROM (SELECT current_setting('fuelsync.seed.stations_per_tenant')::int    AS stations,
               current_setting('fuelsync.seed.pumps_per_station')::int      AS pumps,
               current_setting('fuelsync.seed.nozzles_per_pump')::int       AS nozzles,
               current_setting('fuelsync.seed.attendants_per_station')::int AS attendants) AS sz
 CROSS JOIN LATERAL (
        -- demo_001 ... demo_999, then demo_1000 on (lpad would cut 1000 to 100).
        SELECT 'demo_' || CASE WHEN n < 1000 THEN lpad(n::text, 3, '0') ELSE n::text END
                 AS schema_name,
               (ARRAY['Sharma Fuels', 'Patel Petroleum', 'Reddy Energy', 'Singh Highway Fuels',
                      'Iyer Filling Stations', 'Gupta Petro Services', 'Nair Fuel Company',
                      'Khan Brothers Fuels', 'Das Energy', 'Mehta Motor Fuels'])[1 + (n - 1) % 10]
               || CASE WHEN n > 10 THEN ' ' || n ELSE '' END AS name
          FROM generate_series(1, current_setting('fuelsync.seed.tenants')::int) AS n) AS t
ON CONFLICT (schema_name) DO NOTHING;

-- section: tenant

-- The row estimates of generate_series over params are far off (1,000 rows per call), which
-- would make the server JIT-compile even the small statements: compiling costs more than it saves.
SET LOCAL jit = off;

-- The params and the timeline, once, for the statements below (dropped at commit).
CREATE TEMP TABLE seed_params ON COMMIT DROP AS
SELECT x.*,
       x.start_ts + interval '6 hours' + (x.days * x.readings_per_day - 1) * x.step AS end_ts,
       replace(x.tenant, '_', '-') || '.fuelsync.test' AS domain
  FROM (SELECT current_schema()::text                                             AS tenant,
               current_setting('fuelsync.seed.stations_per_tenant')::int           AS stations,
               current_setting('fuelsync.seed.pumps_per_station')::int             AS pumps,
               current_setting('fuelsync.seed.nozzles_per_pump')::int              AS nozzles,
               current_setting('fuelsync.seed.days')::int                          AS days,
               current_setting('fuelsync.seed.readings_per_day')::int              AS readings_per_day,
               current_setting('fuelsync.seed.creditors_per_station')::int         AS creditors,
               current_setting('fuelsync.seed.attendants_per_station')::int        AS attendants,
               current_setting('fuelsync.seed.credit_sale_percent')::int           AS credit_percent,
               current_setting('fuelsync.seed.price_change_days')::int             AS price_change_days,
               current_setting('fuelsync.seed.delivery_days')::int                 AS delivery_days,
               (SELECT CASE WHEN c.start_date <> 'auto'
                            THEN c.start_date::date::timestamp AT TIME ZONE 'Asia/Kolkata'
                            -- A tenant seeded before keeps its timeline (its owner joined 30 days
                            -- before it starts); a new one ends at the last reading time before now.
                            ELSE coalesce(
                                (SELECT u.created_at + interval '30 days' FROM users AS u
                                  WHERE u.id = md5(current_schema() || ':user:owner')::uuid),
                                (c.today - (c.days - 1) * interval '1 day'
                                 - greatest(0, ceil(extract(epoch FROM c.today + interval '6 hours'
                                                    + (c.per_day - 1) * c.step - c.local_now)
                                                    / extract(epoch FROM c.step))) * c.step)
                                    AT TIME ZONE 'Asia/Kolkata')
                       END
                  FROM (SELECT current_setting('fuelsync.seed.start_date') AS start_date,
                               current_setting('fuelsync.seed.days')::int AS days,
                               current_setting('fuelsync.seed.readings_per_day')::int AS per_day,
                               interval '24 hours'
                                   / current_setting('fuelsync.seed.readings_per_day')::int AS step,
                               now() AT TIME ZONE 'Asia/Kolkata' AS local_now,
                               date_trunc('day', now() AT TIME ZONE 'Asia/Kolkata') AS today) AS c)
                                                                                   AS start_ts,
               interval '24 hours' / current_setting('fuelsync.seed.readings_per_day')::int AS step,
               '$2b$10$Ob4ahg13llt4jyc4Zc5uEuuNQo0c/BjtlTvurXXtxYjodtW6qiyg6'::text AS password_hash
       ) AS x;

-- Users: one owner, and per station a manager and attendants_per_station attendants.
INSERT INTO users (id, email, password_hash, name, phone, role, created_at, updated_at)
SELECT md5(p.tenant || ':user:' || u.user_key)::uuid,
       u.local_part || '@' || p.domain,
       p.password_hash,
       (ARRAY['Aarav', 'Priya', 'Rohan', 'Ananya', 'Vikram', 'Sneha', 'Arjun', 'Kavya', 'Rahul',
              'Meera', 'Suresh', 'Lakshmi', 'Imran', 'Fatima', 'Harpreet', 'Deepak'])
           [1 + (hashtext(p.tenant || u.user_key) & 2147483647) % 16]
       || ' ' ||
       (ARRAY['Sharma', 'Patel', 'Reddy', 'Singh', 'Iyer', 'Gupta', 'Nair', 'Khan', 'Das',
              'Mehta', 'Joshi', 'Kulkarni', 'Menon', 'Verma'])
           [1 + (hashtext(u.user_key || p.tenant) & 2147483647) % 14],
       '+91 9' || lpad(((hashtext(p.tenant || ':phone:' || u.user_key) & 2147483647) % 1000000000)::text, 9, '0'),
       u.role,
       p.start_ts - interval '30 days',
       p.start_ts - interval '30 days'
  FROM seed_params AS p
 CROSS JOIN LATERAL (
        SELECT 'owner' AS user_key, 'owner' AS local_part, 'owner' AS role
        UNION ALL
        SELECT 'manager:' || s, 'manager.s' || s, 'manager'
          FROM generate_series(1, p.stations) AS s
        UNION ALL
        SELECT 'attendant:' || s || ':' || a, 'attendant.s' || s || '.a' || a, 'attendant'
          FROM generate_series(1, p.stations) AS s, generate_series(1, p.attendants) AS a) AS u
ON CONFLICT DO NOTHING;

-- Stations.
INSERT INTO stations (id, name, address, city, state, status, created_at, updated_at)
SELECT md5(p.tenant || ':station:' || s)::uuid,
       loc.area || ' Fuel Station ' || s,
       (17 + s * 7) || ', Main Road, ' || loc.area,
       loc.city,
       loc.state,
       'active',
       p.start_ts - interval '30 days',
       p.start_ts - interval '30 days'
  FROM seed_params AS p
 CROSS JOIN generate_series(1, p.stations) AS s
 CROSS JOIN LATERAL (
        SELECT (ARRAY['Andheri East', 'Baner', 'Whitefield', 'Gachibowli', 'Salt Lake', 'Anna Nagar',
                      'Sector 18', 'Vastrapur', 'Malviya Nagar', 'Gomti Nagar', 'Kakkanad', 'Civil Lines'])[k] AS area,
               (ARRAY['Mumbai', 'Pune', 'Bengaluru', 'Hyderabad', 'Kolkata', 'Chennai',
                      'Noida', 'Ahmedabad', 'Jaipur', 'Lucknow', 'Kochi', 'Nagpur'])[k] AS city,
               (ARRAY['Maharashtra', 'Maharashtra', 'Karnataka', 'Telangana', 'West Bengal', 'Tamil Nadu',
                      'Uttar Pradesh', 'Gujarat', 'Rajasthan', 'Uttar Pradesh', 'Kerala', 'Maharashtra'])[k] AS state
          FROM (SELECT 1 + ((hashtext(p.tenant) & 2147483647) + s) % 12 AS k) AS pick) AS loc
ON CONFLICT DO NOTHING;

-- Pumps P01, P02, ... per station.
INSERT INTO pumps (id, station_id, label, serial_number, status, created_at, updated_at)
SELECT md5(p.tenant || ':pump:' || s || ':' || pu)::uuid,
       md5(p.tenant || ':station:' || s)::uuid,
       'P' || lpad(pu::text, 2, '0'),
       'DSP-' || upper(substr(md5(p.tenant || ':pump-serial:' || s || ':' || pu), 1, 10)),
       'active',
       p.start_ts - interval '30 days',
       p.start_ts - interval '30 days'
  FROM seed_params AS p
 CROSS JOIN generate_series(1, p.stations) AS s
 CROSS JOIN generate_series(1, p.pumps) AS pu
ON CONFLICT DO NOTHING;

-- Nozzles; fuel types cycle petrol, diesel, premium over pumps and nozzle numbers (a function of
-- the pump and nozzle numbers only, so that growing the sizes never changes an existing nozzle).
INSERT INTO nozzles (id, pump_id, station_id, nozzle_number, fuel_type, status, created_at, updated_at)
SELECT md5(p.tenant || ':nozzle:' || s || ':' || pu || ':' || n)::uuid,
       md5(p.tenant || ':pump:' || s || ':' || pu)::uuid,
       md5(p.tenant || ':station:' || s)::uuid,
       n,
       (ARRAY['petrol', 'diesel', 'premium'])[1 + (pu + n - 2) % 3],
       'active',
       p.start_ts - interval '30 days',
       p.start_ts - interval '30 days'
  FROM seed_params AS p
 CROSS JOIN generate_series(1, p.stations) AS s
 CROSS JOIN generate_series(1, p.pumps) AS pu
 CROSS JOIN generate_series(1, p.nozzles) AS n
ON CONFLICT DO NOTHING;

-- Prices: every station and fuel type, revised every price_change_days at 06:00 India time.
-- Selling price = fuel base + station offset (state taxes) +- up to 1.50; cost = price - dealer
-- margin.
INSERT INTO fuel_prices (id, station_id, fuel_type, price_per_litre, cost_price_per_litre,
                         valid_from, created_by, created_at, updated_at)
SELECT md5(p.tenant || ':price:' || s || ':' || f.fuel_type || ':' || k)::uuid,
       md5(p.tenant || ':station:' || s)::uuid,
       f.fuel_type,
       pr.price,
       pr.price - pr.margin,
       p.start_ts + interval '6 hours' + k * p.price_change_days * interval '1 day',
       md5(p.tenant || ':user:manager:' || s)::uuid,
       p.start_ts + interval '6 hours' + k * p.price_change_days * interval '1 day',
       p.start_ts + interval '6 hours' + k * p.price_change_days * interval '1 day'
  FROM seed_params AS p
 CROSS JOIN generate_series(1, p.stations) AS s
 CROSS JOIN (VALUES ('petrol', 94.72, 3.40), ('diesel', 87.62, 2.40), ('premium', 102.50, 4.60))
            AS f (fuel_type, base_price, base_margin)
 CROSS JOIN generate_series(0, (p.days - 1) / p.price_change_days) AS k
 CROSS JOIN LATERAL (
        SELECT round(f.base_price
                     + ((hashtext(p.tenant || ':station-tax:' || s) & 2147483647) % 801) / 100.0 - 2.00
                     + ((hashtext(p.tenant || ':price-move:' || s || f.fuel_type || k) & 2147483647) % 301) / 100.0 - 1.50,
                     2) AS price,
               f.base_margin
                     + ((hashtext(p.tenant || ':margin:' || s || f.fuel_type || k) & 2147483647) % 51) / 100.0 AS margin
       ) AS pr
ON CONFLICT DO NOTHING;

-- Readings: the i-th reading of a nozzle is at 06:00 + i x (24 h / readings_per_day) and shows
-- opening + i x avg + noise(i) millilitres, 0 <= noise(i) < 0.9 x avg: it only goes up. The
-- opening value and the average come from the nozzle's id and fuel type only.
INSERT INTO nozzle_readings (id, nozzle_id, reading, recorded_at, recorded_by, created_at, updated_at)
SELECT md5(z.nozzle_key || ':reading:' || i)::uuid,
       z.nozzle_id,
       (z.opening_ml + i * z.avg_ml
        + (hashtext(z.nozzle_key || ':' || i) & 2147483647) % (z.avg_ml * 9 / 10)) / 1000.0,
       p.start_ts + interval '6 hours' + i * p.step,
       md5(p.tenant || ':user:attendant:' || z.s || ':' || (1 + i % p.attendants))::uuid,
       p.start_ts + interval '6 hours' + i * p.step,
       p.start_ts + interval '6 hours' + i * p.step
  FROM seed_params AS p
 CROSS JOIN LATERAL (
        SELECT g.s,
               g.nozzle_key,
               nz.id AS nozzle_id,
               -- opening meter 100,000 to 999,999 litres
               (100000 + (hashtext(g.nozzle_key || ':opening') & 2147483647) % 900000)::bigint * 1000 AS opening_ml,
               -- litres a day: petrol 500-900, diesel 700-1300, premium 80-200
               (CASE nz.fuel_type
                    WHEN 'petrol' THEN 500 + (hashtext(g.nozzle_key || ':daily') & 2147483647) % 401
                    WHEN 'diesel' THEN 700 + (hashtext(g.nozzle_key || ':daily') & 2147483647) % 601
                    ELSE 80 + (hashtext(g.nozzle_key || ':daily') & 2147483647) % 121
                END)::bigint * 1000 / p.readings_per_day AS avg_ml
          FROM (SELECT s, p.tenant || ':nozzle:' || s || ':' || pu || ':' || n AS nozzle_key
                  FROM generate_series(1, p.stations) AS s,
                       generate_series(1, p.pumps) AS pu,
                       generate_series(1, p.nozzles) AS n) AS g
          JOIN nozzles AS nz ON nz.id = md5(g.nozzle_key)::uuid) AS z
 CROSS JOIN generate_series(0, p.days * p.readings_per_day - 1) AS i
ON CONFLICT DO NOTHING;

-- Creditors: fleets and institutions, credit limits from 50,000 to 5,00,000.
INSERT INTO creditors (id, station_id, name, contact_person, phone, gstin, credit_limit,
                       created_at, updated_at)
SELECT md5(p.tenant || ':creditor:' || s || ':' || c)::uuid,
       md5(p.tenant || ':station:' || s)::uuid,
       (ARRAY['Shree Ganesh Transport', 'Balaji Roadways', 'Om Sai Logistics', 'Maruti Carriers',
              'Jai Hind Travels', 'Sai Krupa Tours', 'Vijay Cargo Movers', 'Annapurna Bus Service',
              'Krishna Tankers', 'Green Valley School', 'City Hospital Ambulances', 'Metro Cabs'])
           [1 + (s + c - 2) % 12]
       || CASE WHEN c > 12 THEN ' (' || c || ')' ELSE '' END,
       (ARRAY['Ramesh', 'Sunita', 'Mahesh', 'Geeta', 'Prakash', 'Anil', 'Usha', 'Naveen'])
           [1 + (hashtext(p.tenant || ':contact:' || s || ':' || c) & 2147483647) % 8] || ' ji',
       '+91 8' || lpad(((hashtext(p.tenant || ':creditor-phone:' || s || ':' || c) & 2147483647) % 1000000000)::text, 9, '0'),
       lpad((1 + (hashtext(p.tenant || ':gst-state:' || s) & 2147483647) % 36)::text, 2, '0')
           || upper(substr(md5(p.tenant || ':gstin:' || s || ':' || c), 1, 13)),
       (5 + (hashtext(p.tenant || ':limit:' || s || ':' || c) & 2147483647) % 46) * 10000.00,
       p.start_ts - interval '30 days',
       p.start_ts - interval '30 days'
  FROM seed_params AS p
 CROSS JOIN generate_series(1, p.stations) AS s
 CROSS JOIN generate_series(1, p.creditors) AS c
ON CONFLICT DO NOTHING;

-- Sales to add: one per reading that has a previous reading and no sale yet, priced at the
-- price in force at the reading's time. Some become credit sales: a credit sale is kept while the
-- creditor's credit in that week (sales already in the table included) stays within half its
-- limit, otherwise it is paid in cash.
CREATE TEMP TABLE seed_new_sales ON COMMIT DROP AS
WITH delta AS (
    SELECT r.id AS reading_id,
           r.nozzle_id,
           r.recorded_at,
           r.recorded_by,
           r.reading - lag(r.reading) OVER (PARTITION BY r.nozzle_id ORDER BY r.recorded_at) AS volume
      FROM nozzle_readings AS r
), todo AS (
    SELECT d.*, z.station_id, z.fuel_type,
           hashtext(d.reading_id::text) & 2147483647 AS h
      FROM delta AS d
      JOIN nozzles AS z ON z.id = d.nozzle_id
     WHERE d.volume IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM sales AS x WHERE x.reading_id = d.reading_id)
), priced AS (
    SELECT t.*, fp.price_per_litre, fp.cost_price_per_litre,
           round(t.volume * fp.price_per_litre, 2) AS amount,
           floor(extract(epoch FROM t.recorded_at - p.start_ts) / 604800)::int AS week
      FROM todo AS t
     CROSS JOIN seed_params AS p
      JOIN LATERAL (
            SELECT f.price_per_litre, f.cost_price_per_litre
              FROM fuel_prices AS f
             WHERE f.station_id = t.station_id
               AND f.fuel_type = t.fuel_type
               AND f.valid_from <= t.recorded_at
             ORDER BY f.valid_from DESC
             LIMIT 1) AS fp ON true
), creditor_choice AS (
    SELECT c.id AS creditor_id, c.station_id, c.credit_limit,
           row_number() OVER (PARTITION BY c.station_id ORDER BY c.name) AS rn,
           count(*) OVER (PARTITION BY c.station_id) AS n
      FROM creditors AS c
     WHERE c.is_active
), credit_candidate AS (
    SELECT pr.reading_id, pr.recorded_at, pr.amount, pr.week, cc.creditor_id, cc.credit_limit
      FROM priced AS pr
     CROSS JOIN seed_params AS p
      JOIN creditor_choice AS cc
        ON cc.station_id = pr.station_id
       AND cc.rn = 1 + (pr.h / 10000) % cc.n
     WHERE pr.h % 100 < p.credit_percent
), credit_before AS (
    SELECT s.creditor_id,
           floor(extract(epoch FROM s.sold_at - p.start_ts) / 604800)::int AS week,
           sum(s.amount) AS amount
      FROM sales AS s
     CROSS JOIN seed_params AS p
     WHERE s.creditor_id IS NOT NULL
     GROUP BY 1, 2
), credit_granted AS (
    SELECT ranked.reading_id, ranked.creditor_id
      FROM (SELECT cd.reading_id, cd.creditor_id, cd.credit_limit,
                   coalesce(cb.amount, 0)
                   + sum(cd.amount) OVER (PARTITION BY cd.creditor_id, cd.week
                                          ORDER BY cd.recorded_at, cd.reading_id) AS week_total
              FROM credit_candidate AS cd
              LEFT JOIN credit_before AS cb
                ON cb.creditor_id = cd.creditor_id AND cb.week = cd.week) AS ranked
     WHERE ranked.week_total <= ranked.credit_limit / 2
)
SELECT md5(p.tenant || ':sale:' || pr.reading_id)::uuid AS id,
       pr.reading_id,
       pr.nozzle_id,
       pr.station_id,
       pr.recorded_at AS sold_at,
       pr.volume,
       pr.price_per_litre,
       pr.amount,
       CASE
           WHEN cg.creditor_id IS NOT NULL THEN 'credit'
           WHEN pr.h % 100 < p.credit_percent THEN 'cash'
           ELSE (ARRAY['upi', 'upi', 'upi', 'upi', 'upi', 'upi', 'upi', 'upi', 'upi',
                       'cash', 'cash', 'cash', 'cash', 'cash', 'cash', 'cash',
                       'card', 'card', 'card', 'card'])[1 + (pr.h / 100) % 20]
       END AS payment_method,
       cg.creditor_id,
       pr.recorded_by,
       pr.cost_price_per_litre,
       CASE WHEN pr.cost_price_per_litre > 0 THEN round(pr.volume * pr.cost_price_per_litre, 2) ELSE 0 END AS cost_amount,
       CASE WHEN pr.cost_price_per_litre > 0 THEN pr.amount - round(pr.volume * pr.cost_price_per_litre, 2) ELSE 0 END AS profit,
       pr.week
  FROM priced AS pr
 CROSS JOIN seed_params AS p
  LEFT JOIN credit_granted AS cg ON cg.reading_id = pr.reading_id;

ANALYZE seed_new_sales;

-- Weekly settlements: each creditor pays week w's credit two days after the week ends (11:00
-- India time), for the weeks whose payment day the seeded period reaches. Inserted before the
-- sales, so that the credit-limit check on sales sees the balance net of these payments. A rerun
-- that added credit to an already paid week corrects that payment's amount.
INSERT INTO credit_payments AS cp (id, creditor_id, amount, payment_method, reference_number,
                                   paid_at, recorded_by, notes, created_at, updated_at)
SELECT md5(p.tenant || ':payment:' || w.creditor_id || ':' || w.week)::uuid,
       w.creditor_id,
       w.amount,
       m.method,
       CASE m.method
           WHEN 'cheque' THEN 'CHQ-' || lpad(((hashtext(p.tenant || w.creditor_id || w.week) & 2147483647) % 1000000)::text, 6, '0')
           ELSE 'UTR' || upper(substr(md5(p.tenant || ':utr:' || w.creditor_id || ':' || w.week), 1, 12))
       END,
       m.paid_at,
       md5(p.tenant || ':user:manager:' || st.station_no)::uuid,
       'Settlement of week ' || (w.week + 1) || ' credit',
       m.paid_at,
       m.paid_at
  FROM seed_params AS p
 CROSS JOIN LATERAL (
        SELECT creditor_id, week, sum(amount) AS amount
          FROM (SELECT s.creditor_id, floor(extract(epoch FROM s.sold_at - p.start_ts) / 604800)::int AS week, s.amount
                  FROM sales AS s
                 WHERE s.creditor_id IS NOT NULL
                UNION ALL
                SELECT n.creditor_id, n.week, n.amount
                  FROM seed_new_sales AS n
                 WHERE n.creditor_id IS NOT NULL) AS credit
         GROUP BY creditor_id, week) AS w
 CROSS JOIN LATERAL (
        SELECT p.start_ts + (w.week + 1) * interval '7 days' + interval '2 days 11 hours' AS paid_at,
               (ARRAY['bank_transfer', 'bank_transfer', 'upi', 'cheque'])
                   [1 + (hashtext(p.tenant || ':paid-by:' || w.creditor_id || w.week) & 2147483647) % 4] AS method) AS m
  JOIN creditors AS c ON c.id = w.creditor_id
 CROSS JOIN LATERAL (
        SELECT s AS station_no
          FROM generate_series(1, p.stations) AS s
         WHERE md5(p.tenant || ':station:' || s)::uuid = c.station_id) AS st
 WHERE m.paid_at <= p.end_ts
   AND w.amount > 0
ON CONFLICT (id) DO UPDATE
   SET amount = EXCLUDED.amount
 WHERE cp.amount <> EXCLUDED.amount;

INSERT INTO sales (id, reading_id, nozzle_id, station_id, sold_at, volume, price_per_litre, amount,
                   payment_method, creditor_id, recorded_by, cost_price_per_litre, cost_amount,
                   profit, created_at, updated_at)
SELECT id, reading_id, nozzle_id, station_id, sold_at, volume, price_per_litre, amount,
       payment_method, creditor_id, recorded_by, cost_price_per_litre, cost_amount, profit,
       sold_at, sold_at
  FROM seed_new_sales
ON CONFLICT DO NOTHING;

-- Stock per station and fuel type sold there; a hash puts some below the reorder level.
INSERT INTO fuel_inventory (id, station_id, fuel_type, current_stock, minimum_level, capacity,
                            last_updated_at, created_at, updated_at)
SELECT md5(p.tenant || ':inventory:' || f.station_id || ':' || f.fuel_type)::uuid,
       f.station_id,
       f.fuel_type,
       round(f.capacity * (5 + (hashtext(p.tenant || ':stock:' || f.station_id || f.fuel_type) & 2147483647) % 91) / 100.0, 3),
       f.capacity * 0.20,
       f.capacity,
       p.end_ts,
       p.start_ts - interval '30 days',
       p.end_ts
  FROM seed_params AS p
 CROSS JOIN LATERAL (
        SELECT DISTINCT z.station_id, z.fuel_type,
               CASE z.fuel_type WHEN 'petrol' THEN 20000 WHEN 'diesel' THEN 30000 ELSE 10000 END AS capacity
          FROM nozzles AS z
         WHERE z.station_id IN (SELECT md5(p.tenant || ':station:' || s)::uuid
                                  FROM generate_series(1, p.stations) AS s)) AS f
ON CONFLICT DO NOTHING;

-- Tanker deliveries every delivery_days (10:00 to 14:00 India time) per station and fuel type:
-- the first brings 12,000 litres, later ones what was sold in the delivery_days before, in whole
-- kilolitres between 4 and 20.
INSERT INTO fuel_deliveries (id, station_id, fuel_type, volume, delivered_at, supplier,
                             invoice_number, received_by, created_at, updated_at)
SELECT md5(p.tenant || ':delivery:' || d.s || ':' || d.fuel_type || ':' || d.k)::uuid,
       d.station_id,
       d.fuel_type,
       CASE WHEN d.k = 0 THEN 12000
            ELSE least(20000, greatest(4000, ceil(coalesce(sold.volume, 0) / 1000) * 1000))
       END,
       d.delivered_at,
       d.supplier,
       d.supplier || '/S' || lpad(d.s::text, 3, '0') || '/' || upper(left(d.fuel_type, 1)) || '/' || lpad((d.k + 1)::text, 5, '0'),
       md5(p.tenant || ':user:manager:' || d.s)::uuid,
       d.delivered_at,
       d.delivered_at
  FROM seed_params AS p
 CROSS JOIN LATERAL (
        SELECT s, z.station_id, z.fuel_type, k,
               (ARRAY['IOCL', 'BPCL', 'HPCL'])[1 + (hashtext(p.tenant || ':supplier:' || s) & 2147483647) % 3] AS supplier,
               p.start_ts + k * p.delivery_days * interval '1 day' + interval '10 hours'
                   + ((hashtext(p.tenant || ':delivery-time:' || s || z.fuel_type || k) & 2147483647) % 240) * interval '1 minute'
                   AS delivered_at
          FROM generate_series(1, p.stations) AS s
          JOIN (SELECT DISTINCT station_id, fuel_type FROM nozzles) AS z
            ON z.station_id = md5(p.tenant || ':station:' || s)::uuid
         CROSS JOIN generate_series(0, (p.days - 1) / p.delivery_days) AS k) AS d
  LEFT JOIN (
        -- litres sold per station, fuel type and delivery interval (interval k - 1 ends at delivery k)
        SELECT sa.station_id, z.fuel_type,
               floor(extract(epoch FROM sa.sold_at - p2.start_ts - interval '10 hours')
                     / (p2.delivery_days * 86400))::int AS k_before,
               sum(sa.volume) AS volume
          FROM sales AS sa
          JOIN nozzles AS z ON z.id = sa.nozzle_id
         CROSS JOIN seed_params AS p2
         GROUP BY 1, 2, 3) AS sold
    ON sold.station_id = d.station_id AND sold.fuel_type = d.fuel_type AND sold.k_before = d.k - 1
 WHERE d.delivered_at <= p.end_ts
ON CONFLICT DO NOTHING;

-- Alerts: low stock (open), creditors at 80% of their limit or more (open), unusually large
-- readings (over 1.85 x the nozzle's average sale; resolved the next day), price revisions (read
-- and resolved).
INSERT INTO alerts (id, station_id, alert_type, severity, message, is_read, created_at, updated_at, resolved_at)
SELECT md5(p.tenant || ':alert:low_stock:' || i.id)::uuid,
       i.station_id,
       'low_stock',
       CASE WHEN i.current_stock < i.minimum_level / 2 THEN 'critical' ELSE 'warning' END,
       initcap(i.fuel_type) || ' stock at ' || st.name || ' is ' || round(i.current_stock) || ' L, below the reorder level of '
           || round(i.minimum_level) || ' L',
       false, i.last_updated_at, i.last_updated_at, NULL::timestamptz
  FROM seed_params AS p
  JOIN fuel_inventory AS i ON i.current_stock < i.minimum_level
  JOIN stations AS st ON st.id = i.station_id
UNION ALL
SELECT md5(p.tenant || ':alert:credit_limit:' || c.id)::uuid,
       c.station_id,
       'credit_limit',
       CASE WHEN c.outstanding_balance >= c.credit_limit THEN 'critical' ELSE 'warning' END,
       c.name || ' owes ' || c.outstanding_balance || ', ' || round(100 * c.outstanding_balance / c.credit_limit)
           || '% of the credit limit of ' || c.credit_limit,
       false, p.end_ts, p.end_ts, NULL::timestamptz
  FROM seed_params AS p
  JOIN creditors AS c ON c.credit_limit > 0 AND c.outstanding_balance >= 0.8 * c.credit_limit
UNION ALL
SELECT md5(p.tenant || ':alert:reading_anomaly:' || n.reading_id)::uuid,
       n.station_id,
       'reading_anomaly',
       'warning',
       'Nozzle ' || z.nozzle_number || ' of pump ' || pu.label || ' (' || z.fuel_type || ') sold ' || n.volume
           || ' L in one shift, ' || round(n.volume / avg_sale.volume, 1) || ' times its average',
       n.sold_at < p.end_ts - interval '1 day',
       n.sold_at, n.sold_at,
       CASE WHEN n.sold_at < p.end_ts - interval '1 day' THEN n.sold_at + interval '1 day' END
  FROM seed_params AS p
  JOIN seed_new_sales AS n ON true
  JOIN (SELECT nozzle_id, avg(volume) AS volume FROM sales GROUP BY nozzle_id) AS avg_sale
    ON avg_sale.nozzle_id = n.nozzle_id
  JOIN nozzles AS z ON z.id = n.nozzle_id
  JOIN pumps AS pu ON pu.id = z.pump_id
 WHERE n.volume > 1.85 * avg_sale.volume
UNION ALL
SELECT md5(p.tenant || ':alert:price_change:' || pp.id)::uuid,
       pp.station_id,
       'price_change',
       'info',
       initcap(pp.fuel_type) || ' price revised from ' || pp.previous_price || ' to ' || pp.price_per_litre
           || ' per litre',
       true, pp.valid_from, pp.valid_from, pp.valid_from + interval '2 hours'
  FROM seed_params AS p
  JOIN (SELECT f.id, f.station_id, f.fuel_type, f.price_per_litre, f.valid_from,
               lag(f.price_per_litre) OVER (PARTITION BY f.station_id, f.fuel_type ORDER BY f.valid_from) AS previous_price
          FROM fuel_prices AS f) AS pp
    ON pp.previous_price IS NOT NULL AND pp.previous_price <> pp.price_per_litre
   AND pp.valid_from <= p.end_ts
ON CONFLICT DO NOTHING;
