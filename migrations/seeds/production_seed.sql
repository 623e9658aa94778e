-- seed: production
-- description: The subscription plan catalogue (idempotent upsert by plan name); no tenant data
-- environments: all
--
-- Safe to run on every deployment: a plan that is missing is inserted, a plan whose catalogue
-- values differ is updated to them, and a plan that already matches is not touched (its
-- updated_at stays). Plans not listed here are left alone. Prices in INR per month, excluding GST.

-- section: public

INSERT INTO plans AS p
       (id, name, description, max_stations, max_pumps_per_station, max_nozzles_per_pump,
        max_users, price_monthly, features, is_active)
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
ON CONFLICT (name) DO UPDATE
   SET description           = EXCLUDED.description,
       max_stations          = EXCLUDED.max_stations,
       max_pumps_per_station = EXCLUDED.max_pumps_per_station,
       max_nozzles_per_pump  = EXCLUDED.max_nozzles_per_pump,
       max_users             = EXCLUDED.max_users,
       price_monthly         = EXCLUDED.price_monthly,
       features              = EXCLUDED.features,
       is_active             = EXCLUDED.is_active
 WHERE (p.description, p.max_stations, p.max_pumps_per_station, p.max_nozzles_per_pump,
        p.max_users, p.price_monthly, p.features, p.is_active)
       IS DISTINCT FROM
       (EXCLUDED.description, EXCLUDED.max_stations, EXCLUDED.max_pumps_per_station,
        EXCLUDED.max_nozzles_per_pump, EXCLUDED.max_users, EXCLUDED.price_monthly,
        EXCLUDED.features, EXCLUDED.is_active);
