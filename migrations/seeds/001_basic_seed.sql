-- seed: basic
-- description: A small, readable demo data set: plans, one platform admin, two demo tenants
-- environments: development, staging
-- tenants: basic_demo_%
-- param: days = 3
-- param: readings_per_day = 3
-- param: start_date = auto
--   (a date fixes the timeline; auto ends a new tenant's days at the last reading time
--   before now, and keeps the timeline of a tenant seeded before)
--
-- Two tenants (basic_demo_1, basic_demo_2), each with two stations, three pumps and six nozzles,
-- selling prices with one petrol price revision, days x readings_per_day meter readings per nozzle
-- and the sale of each reading after the first, two creditors on the first station with a few
-- credit sales and one payment, stock rows, one tanker delivery and one low-stock alert.
-- Deterministic ids and ON CONFLICT DO NOTHING make it safe to run again. Every seeded account's
-- password is FuelSync@Demo1 (bcrypt): development and staging only.

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

INSERT INTO admin_users (id, email, password_hash, name, role)
VALUES (md5('fuelsync:admin:admin@fuelsync.test')::uuid, 'admin@fuelsync.test',
        '$2b$10$Ob4ahg13llt4jyc4Zc5uEuuNQo0c/BjtlTvurXXtxYjodtW6qiyg6', 'Platform Admin', 'superadmin')
ON CONFLICT (email) DO NOTHING;

INSERT INTO tenants (id, name, schema_name, plan_id, status, contact_email)
SELECT md5('fuelsync:tenant:' || t.schema_name)::uuid, t.name, t.schema_name,
       (SELECT id FROM plans WHERE name = 'Pro'), 'active', t.contact_email
  FROM (VALUES ('Sharma Fuels (basic demo)', 'basic_demo_1', 'accounts@sharma-fuels.fuelsync.test'),
               ('Patel Petroleum (basic demo)', 'basic_demo_2', 'accounts@patel-petroleum.fuelsync.test'))
       AS t (name, schema_name, contact_email)
ON CONFLICT (schema_name) DO NOTHING;

-- section: tenant

SET LOCAL jit = off;

-- Params and the timeline, for the statements below (dropped at commit).
CREATE TEMP TABLE seed_params ON COMMIT DROP AS
SELECT current_schema()::text                                           AS tenant,
       replace(current_schema(), '_', '-') || '.fuelsync.test'          AS domain,
       current_setting('fuelsync.seed.days')::int                       AS days,
       current_setting('fuelsync.seed.readings_per_day')::int           AS readings_per_day,
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
       '$2b$10$Ob4ahg13llt4jyc4Zc5uEuuNQo0c/BjtlTvurXXtxYjodtW6qiyg6'::text AS password_hash;

INSERT INTO users (id, email, password_hash, name, phone, role, created_at, updated_at)
SELECT md5(p.tenant || ':user:' || u.user_key)::uuid, u.local_part || '@' || p.domain,
       p.password_hash, u.name, u.phone, u.role, p.start_ts - interval '30 days', p.start_ts - interval '30 days'
  FROM seed_params AS p
 CROSS JOIN (VALUES ('owner',       'owner',     'Rajesh Sharma', '+91 98450 11111', 'owner'),
                    ('manager:1',   'manager',   'Anita Desai',   '+91 98450 22222', 'manager'),
                    ('attendant:1', 'attendant', 'Ravi Kumar',    '+91 98450 33333', 'attendant'))
            AS u (user_key, local_part, name, phone, role)
ON CONFLICT DO NOTHING;

INSERT INTO stations (id, name, address, city, state, created_at, updated_at)
SELECT md5(p.tenant || ':station:' || s.no)::uuid, s.name, s.address, s.city, s.state,
       p.start_ts - interval '30 days', p.start_ts - interval '30 days'
  FROM seed_params AS p
 CROSS JOIN (VALUES (1, 'MG Road Fuel Station', '12 MG Road', 'Bengaluru', 'Karnataka'),
                    (2, 'NH48 Highway Fuel Station', 'Km 32, NH48', 'Gurugram', 'Haryana'))
            AS s (no, name, address, city, state)
ON CONFLICT DO NOTHING;

INSERT INTO pumps (id, station_id, label, serial_number, created_at, updated_at)
SELECT md5(p.tenant || ':pump:' || x.station_no || ':' || x.pump_no)::uuid,
       md5(p.tenant || ':station:' || x.station_no)::uuid,
       'P' || lpad(x.pump_no::text, 2, '0'), x.serial,
       p.start_ts - interval '30 days', p.start_ts - interval '30 days'
  FROM seed_params AS p
 CROSS JOIN (VALUES (1, 1, 'DSP-MG-0001'), (1, 2, 'DSP-MG-0002'), (2, 1, 'DSP-NH-0001'))
            AS x (station_no, pump_no, serial)
ON CONFLICT DO NOTHING;

-- Nozzles with the litres each sells a day on average (used by the readings below).
CREATE TEMP TABLE seed_nozzles ON COMMIT DROP AS
SELECT md5(p.tenant || ':nozzle:' || x.station_no || ':' || x.pump_no || ':' || x.nozzle_no)::uuid AS id,
       md5(p.tenant || ':pump:' || x.station_no || ':' || x.pump_no)::uuid AS pump_id,
       md5(p.tenant || ':station:' || x.station_no)::uuid AS station_id,
       x.station_no, x.pump_no, x.nozzle_no, x.fuel_type, x.litres_a_day, x.opening_litres
  FROM seed_params AS p
 CROSS JOIN (VALUES (1, 1, 1, 'petrol',  720, 184250.500),
                    (1, 1, 2, 'diesel',  960, 251730.250),
                    (1, 2, 1, 'premium', 140,  40112.000),
                    (1, 2, 2, 'diesel',  880, 233905.750),
                    (2, 1, 1, 'petrol',  610, 120470.125),
                    (2, 1, 2, 'diesel', 1250, 502318.000))
            AS x (station_no, pump_no, nozzle_no, fuel_type, litres_a_day, opening_litres);

INSERT INTO nozzles (id, pump_id, station_id, nozzle_number, fuel_type, created_at, updated_at)
SELECT z.id, z.pump_id, z.station_id, z.nozzle_no, z.fuel_type,
       p.start_ts - interval '30 days', p.start_ts - interval '30 days'
  FROM seed_nozzles AS z
 CROSS JOIN seed_params AS p
ON CONFLICT DO NOTHING;

-- Prices from the first day at 06:00, and a petrol revision on the second day.
INSERT INTO fuel_prices (id, station_id, fuel_type, price_per_litre, cost_price_per_litre,
                         valid_from, created_by, created_at, updated_at)
SELECT md5(p.tenant || ':price:' || x.station_no || ':' || x.fuel_type || ':' || x.revision)::uuid,
       md5(p.tenant || ':station:' || x.station_no)::uuid,
       x.fuel_type, x.price, x.cost,
       p.start_ts + interval '6 hours' + x.revision * interval '1 day',
       md5(p.tenant || ':user:manager:1')::uuid,
       p.start_ts + interval '6 hours' + x.revision * interval '1 day',
       p.start_ts + interval '6 hours' + x.revision * interval '1 day'
  FROM seed_params AS p
 CROSS JOIN (VALUES (1, 'petrol',  0, 102.86, 99.32), (1, 'petrol', 1, 103.21, 99.64),
                    (1, 'diesel',  0,  88.94, 86.46),
                    (1, 'premium', 0, 110.45, 105.80),
                    (2, 'petrol',  0,  95.12, 91.70), (2, 'petrol', 1, 95.46, 92.01),
                    (2, 'diesel',  0,  87.95, 85.50),
                    (2, 'premium', 0, 101.80, 97.20))
            AS x (station_no, fuel_type, revision, price, cost)
ON CONFLICT DO NOTHING;

-- Readings at 06:00, 14:00 and 22:00 India time: the meter goes up by 60% to 140% of the
-- nozzle's average per reading each time (by a hash of the nozzle and reading number).
INSERT INTO nozzle_readings (id, nozzle_id, reading, recorded_at, recorded_by, created_at, updated_at)
SELECT md5(z.id || ':reading:' || i)::uuid,
       z.id,
       z.opening_litres
         + round(i * z.litres_a_day::numeric / p.readings_per_day
                 + (hashtext(z.id || ':' || i) & 2147483647) % 1000 / 1000.0 * 0.4
                   * z.litres_a_day / p.readings_per_day, 3),
       p.start_ts + interval '6 hours' + i * p.step,
       md5(p.tenant || ':user:attendant:1')::uuid,
       p.start_ts + interval '6 hours' + i * p.step,
       p.start_ts + interval '6 hours' + i * p.step
  FROM seed_nozzles AS z
 CROSS JOIN seed_params AS p
 CROSS JOIN generate_series(0, p.days * p.readings_per_day - 1) AS i
ON CONFLICT DO NOTHING;

INSERT INTO creditors (id, station_id, name, contact_person, phone, gstin, credit_limit,
                       created_at, updated_at)
SELECT md5(p.tenant || ':creditor:1:' || c.no)::uuid,
       md5(p.tenant || ':station:1')::uuid,
       c.name, c.contact, c.phone, c.gstin, c.credit_limit,
       p.start_ts - interval '30 days', p.start_ts - interval '30 days'
  FROM seed_params AS p
 CROSS JOIN (VALUES (1, 'Balaji Roadways', 'Mahesh Rao', '+91 80 4123 4567', '29ABCDE1234F1Z5', 300000.00),
                    (2, 'Green Valley School', 'Sister Mary', '+91 80 4987 6543', NULL, 60000.00))
            AS c (no, name, contact, phone, gstin, credit_limit)
ON CONFLICT DO NOTHING;

-- One sale per reading after a nozzle's first: volume = the meter difference, at the price in
-- force. On the first three days, the 14:00 diesel sale of pump P01 at the first station goes on
-- credit to Balaji Roadways, and the 22:00 premium sale to Green Valley School.
INSERT INTO sales (id, reading_id, nozzle_id, station_id, sold_at, volume, price_per_litre, amount,
                   payment_method, creditor_id, recorded_by, cost_price_per_litre, cost_amount,
                   profit, created_at, updated_at)
SELECT md5(p.tenant || ':sale:' || d.reading_id)::uuid,
       d.reading_id, d.nozzle_id, z.station_id, d.recorded_at, d.volume,
       fp.price_per_litre,
       round(d.volume * fp.price_per_litre, 2),
       CASE WHEN cr.creditor_no IS NOT NULL THEN 'credit'
            ELSE (ARRAY['upi', 'cash', 'upi', 'card', 'cash'])[1 + (hashtext(d.reading_id::text) & 2147483647) % 5]
       END,
       md5(p.tenant || ':creditor:1:' || cr.creditor_no)::uuid,
       d.recorded_by,
       fp.cost_price_per_litre,
       round(d.volume * fp.cost_price_per_litre, 2),
       round(d.volume * fp.price_per_litre, 2) - round(d.volume * fp.cost_price_per_litre, 2),
       d.recorded_at, d.recorded_at
  FROM (SELECT r.id AS reading_id, r.nozzle_id, r.recorded_at, r.recorded_by,
               r.reading - lag(r.reading) OVER (PARTITION BY r.nozzle_id ORDER BY r.recorded_at) AS volume
          FROM nozzle_readings AS r) AS d
  JOIN seed_nozzles AS z ON z.id = d.nozzle_id
 CROSS JOIN seed_params AS p
  JOIN LATERAL (SELECT f.price_per_litre, f.cost_price_per_litre
                  FROM fuel_prices AS f
                 WHERE f.station_id = z.station_id AND f.fuel_type = z.fuel_type
                   AND f.valid_from <= d.recorded_at
                 ORDER BY f.valid_from DESC
                 LIMIT 1) AS fp ON true
  LEFT JOIN LATERAL (
        SELECT CASE
                   WHEN z.station_no = 1 AND z.pump_no = 1 AND z.fuel_type = 'diesel'
                        AND d.recorded_at AT TIME ZONE 'Asia/Kolkata' = (d.recorded_at AT TIME ZONE 'Asia/Kolkata')::date + time '14:00'
                   THEN 1
                   WHEN z.station_no = 1 AND z.fuel_type = 'premium'
                        AND d.recorded_at AT TIME ZONE 'Asia/Kolkata' = (d.recorded_at AT TIME ZONE 'Asia/Kolkata')::date + time '22:00'
                   THEN 2
               END AS creditor_no
         WHERE d.recorded_at < p.start_ts + interval '3 days') AS cr ON true
 WHERE d.volume IS NOT NULL
ON CONFLICT DO NOTHING;

-- Balaji Roadways pays 25,000 by bank transfer on the second day.
INSERT INTO credit_payments (id, creditor_id, amount, payment_method, reference_number, paid_at,
                             recorded_by, created_at, updated_at)
SELECT md5(p.tenant || ':payment:1:1')::uuid,
       md5(p.tenant || ':creditor:1:1')::uuid,
       25000.00, 'bank_transfer', 'UTR' || upper(substr(md5(p.tenant || ':utr:1'), 1, 12)),
       p.start_ts + interval '1 day 17 hours',
       md5(p.tenant || ':user:manager:1')::uuid,
       p.start_ts + interval '1 day 17 hours', p.start_ts + interval '1 day 17 hours'
  FROM seed_params AS p
ON CONFLICT DO NOTHING;

-- Stock per station and fuel type; the second station's diesel is below its reorder level.
INSERT INTO fuel_inventory (id, station_id, fuel_type, current_stock, minimum_level, capacity,
                            last_updated_at, created_at, updated_at)
SELECT md5(p.tenant || ':inventory:' || x.station_no || ':' || x.fuel_type)::uuid,
       md5(p.tenant || ':station:' || x.station_no)::uuid,
       x.fuel_type, x.stock, x.minimum, x.capacity,
       p.start_ts + p.days * interval '1 day', p.start_ts - interval '30 days', p.start_ts + p.days * interval '1 day'
  FROM seed_params AS p
 CROSS JOIN (VALUES (1, 'petrol', 14250.000, 4000, 20000), (1, 'diesel', 21800.000, 6000, 30000),
                    (1, 'premium', 6100.000, 2000, 10000),
                    (2, 'petrol', 9900.000, 4000, 20000), (2, 'diesel', 3150.000, 6000, 30000))
            AS x (station_no, fuel_type, stock, minimum, capacity)
ON CONFLICT DO NOTHING;

INSERT INTO fuel_deliveries (id, station_id, fuel_type, volume, delivered_at, supplier,
                             invoice_number, received_by, created_at, updated_at)
SELECT md5(p.tenant || ':delivery:1:diesel:1')::uuid,
       md5(p.tenant || ':station:1')::uuid,
       'diesel', 12000, p.start_ts + interval '1 day 11 hours', 'IOCL',
       'IOCL/' || upper(substr(md5(p.tenant), 1, 4)) || '/000001',
       md5(p.tenant || ':user:manager:1')::uuid,
       p.start_ts + interval '1 day 11 hours', p.start_ts + interval '1 day 11 hours'
  FROM seed_params AS p
ON CONFLICT DO NOTHING;

INSERT INTO alerts (id, station_id, alert_type, severity, message, is_read, created_at, updated_at)
SELECT md5(p.tenant || ':alert:low_stock:2:diesel')::uuid,
       md5(p.tenant || ':station:2')::uuid,
       'low_stock', 'warning',
       'Diesel stock at NH48 Highway Fuel Station is 3150 L, below the reorder level of 6000 L',
       false,
       p.start_ts + p.days * interval '1 day', p.start_ts + p.days * interval '1 day'
  FROM seed_params AS p
ON CONFLICT DO NOTHING;
