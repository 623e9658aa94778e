-- version: 002
-- description: Initial tenant schema: users, stations, pumps, nozzles, prices, readings, sales, creditors, credit payments
-- scope: tenant
-- depends: 001
-- transaction: per-migration
-- environments: all
--
-- Runs once per tenant schema with search_path = <tenant>, public, so every object below is
-- created in the tenant schema. Names are deliberately unqualified.
--
-- Key relationships:
--   Station 1-N Pump 1-N Nozzle 1-N Reading 1-1 Sale
--   Station 1-N Creditor 1-N Credit payment; Creditor 1-N (credit) Sale
--   Station 1-N Fuel price (per fuel type, effective from valid_from)

-- ---------------------------------------------------------------------------------------------
-- Trigger functions
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$fn$;

COMMENT ON FUNCTION set_updated_at() IS
    'BEFORE UPDATE row trigger function: sets updated_at to the transaction time on every update. '
    'A per-tenant copy, so that a tenant schema restores on its own.';

-- ---------------------------------------------------------------------------------------------
-- users
-- ---------------------------------------------------------------------------------------------
CREATE TABLE users (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    email          text        NOT NULL,
    password_hash  text        NOT NULL,
    name           text        NOT NULL,
    phone          text,
    role           text        NOT NULL,
    is_active      boolean     NOT NULL DEFAULT true,
    last_login_at  timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_email_check CHECK (
        email = lower(btrim(email)) AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    CONSTRAINT users_password_hash_check CHECK (password_hash <> ''),
    CONSTRAINT users_name_check CHECK (btrim(name) <> ''),
    CONSTRAINT users_role_check CHECK (role IN ('owner', 'manager', 'attendant'))
);

CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE users IS
    'People of the tenant who use FuelSync Hub: owners, station managers and pump attendants. '
    'Users are never deleted while they have recorded readings or sales history that matters; '
    'deactivate them (is_active = false). If one is deleted, the recorded_by columns that point '
    'to it become NULL.';
COMMENT ON COLUMN users.id IS 'Surrogate key.';
COMMENT ON COLUMN users.email IS 'Login name, unique in the tenant; stored lower-case.';
COMMENT ON COLUMN users.password_hash IS 'Password hash (bcrypt); never the password itself.';
COMMENT ON COLUMN users.name IS 'Full name.';
COMMENT ON COLUMN users.phone IS 'Mobile number, free format (e.g. +91 98xxx xxxxx).';
COMMENT ON COLUMN users.role IS
    'owner: everything in the tenant; manager: runs stations (prices, creditors, reports); '
    'attendant: records nozzle readings and sales.';
COMMENT ON COLUMN users.is_active IS 'False: the account cannot log in; kept for the history it recorded.';
COMMENT ON COLUMN users.last_login_at IS 'Time of the last successful login; NULL if never.';
COMMENT ON COLUMN users.created_at IS 'When the row was created.';
COMMENT ON COLUMN users.updated_at IS 'When the row was last changed (maintained by trigger).';
COMMENT ON CONSTRAINT users_email_check ON users IS
    'Emails are stored trimmed and lower-case, with the shape local@domain, so the unique '
    'constraint is effectively case-insensitive.';
COMMENT ON CONSTRAINT users_role_check ON users IS 'Allowed roles: owner, manager, attendant.';

-- ---------------------------------------------------------------------------------------------
-- stations
-- ---------------------------------------------------------------------------------------------
CREATE TABLE stations (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text        NOT NULL,
    address     text,
    city        text,
    state       text,
    status      text        NOT NULL DEFAULT 'active',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT stations_name_key UNIQUE (name),
    CONSTRAINT stations_name_check CHECK (btrim(name) <> ''),
    CONSTRAINT stations_status_check CHECK (status IN ('active', 'inactive', 'maintenance'))
);

CREATE TRIGGER stations_set_updated_at BEFORE UPDATE ON stations
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE stations IS
    'Fuel stations (retail outlets) of the tenant. A station has pumps, prices, creditors, '
    'inventory and alerts. A station with readings, sales or creditors cannot be deleted '
    '(those foreign keys RESTRICT): set status = inactive instead.';
COMMENT ON COLUMN stations.id IS 'Surrogate key.';
COMMENT ON COLUMN stations.name IS 'Display name, unique in the tenant.';
COMMENT ON COLUMN stations.address IS 'Street address.';
COMMENT ON COLUMN stations.city IS 'City or town.';
COMMENT ON COLUMN stations.state IS 'Indian state or union territory (fuel taxes, hence prices, differ by state).';
COMMENT ON COLUMN stations.status IS 'active: trading; inactive: closed; maintenance: temporarily not selling.';
COMMENT ON COLUMN stations.created_at IS 'When the row was created.';
COMMENT ON COLUMN stations.updated_at IS 'When the row was last changed (maintained by trigger).';
COMMENT ON CONSTRAINT stations_name_key ON stations IS 'Station names are unique within a tenant.';
COMMENT ON CONSTRAINT stations_status_check ON stations IS 'Allowed statuses: active, inactive, maintenance.';

-- ---------------------------------------------------------------------------------------------
-- pumps
-- ---------------------------------------------------------------------------------------------
CREATE TABLE pumps (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    station_id     uuid        NOT NULL,
    label          text        NOT NULL,
    serial_number  text,
    status         text        NOT NULL DEFAULT 'active',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pumps_station_id_label_key UNIQUE (station_id, label),
    CONSTRAINT pumps_id_station_id_key UNIQUE (id, station_id),
    CONSTRAINT pumps_station_id_fkey FOREIGN KEY (station_id) REFERENCES stations (id)
        ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT pumps_label_check CHECK (btrim(label) <> ''),
    CONSTRAINT pumps_status_check CHECK (status IN ('active', 'inactive', 'maintenance'))
);

CREATE TRIGGER pumps_set_updated_at BEFORE UPDATE ON pumps
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE pumps IS
    'Fuel dispensers of a station. A pump has one or more nozzles. Pumps are part of their '
    'station: deleting a station deletes its pumps (but see nozzle_readings, which prevent it '
    'once readings exist).';
COMMENT ON COLUMN pumps.id IS 'Surrogate key.';
COMMENT ON COLUMN pumps.station_id IS 'Station the pump stands in.';
COMMENT ON COLUMN pumps.label IS 'Label painted on the pump, e.g. P01; unique within the station.';
COMMENT ON COLUMN pumps.serial_number IS 'Manufacturer serial number of the dispenser.';
COMMENT ON COLUMN pumps.status IS 'active: in service; inactive: decommissioned; maintenance: temporarily out of service.';
COMMENT ON COLUMN pumps.created_at IS 'When the row was created.';
COMMENT ON COLUMN pumps.updated_at IS 'When the row was last changed (maintained by trigger).';
COMMENT ON CONSTRAINT pumps_station_id_label_key ON pumps IS 'A pump label is unique within its station.';
COMMENT ON CONSTRAINT pumps_id_station_id_key ON pumps IS
    'Target of the nozzles (pump_id, station_id) foreign key, which keeps nozzles.station_id '
    'equal to the station of the nozzle''s pump.';
COMMENT ON CONSTRAINT pumps_station_id_fkey ON pumps IS 'Pumps belong to their station: deleted with it.';
COMMENT ON CONSTRAINT pumps_status_check ON pumps IS 'Allowed statuses: active, inactive, maintenance.';

-- ---------------------------------------------------------------------------------------------
-- nozzles
-- ---------------------------------------------------------------------------------------------
CREATE TABLE nozzles (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    pump_id        uuid        NOT NULL,
    station_id     uuid        NOT NULL,
    nozzle_number  smallint    NOT NULL,
    fuel_type      text        NOT NULL,
    status         text        NOT NULL DEFAULT 'active',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT nozzles_pump_id_nozzle_number_key UNIQUE (pump_id, nozzle_number),
    CONSTRAINT nozzles_id_station_id_key UNIQUE (id, station_id),
    CONSTRAINT nozzles_pump_fkey FOREIGN KEY (pump_id, station_id) REFERENCES pumps (id, station_id)
        ON DELETE CASCADE ON UPDATE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT nozzles_nozzle_number_check CHECK (nozzle_number > 0),
    CONSTRAINT nozzles_fuel_type_check CHECK (fuel_type IN ('petrol', 'diesel', 'premium')),
    CONSTRAINT nozzles_status_check CHECK (status IN ('active', 'inactive', 'maintenance'))
);

-- Lets inserts give just pump_id: the station is taken from the pump.
CREATE FUNCTION nozzles_fill_station_id() RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
    IF NEW.station_id IS NULL THEN
        EXECUTE format('SELECT station_id FROM %I.pumps WHERE id = $1', TG_TABLE_SCHEMA)
            INTO NEW.station_id
            USING NEW.pump_id;
    END IF;
    RETURN NEW;
END
$fn$;

COMMENT ON FUNCTION nozzles_fill_station_id() IS
    'BEFORE INSERT row trigger function on nozzles: when station_id is not given, copies it from '
    'the nozzle''s pump.';

CREATE TRIGGER nozzles_fill_station_id BEFORE INSERT ON nozzles
    FOR EACH ROW EXECUTE FUNCTION nozzles_fill_station_id();
CREATE TRIGGER nozzles_set_updated_at BEFORE UPDATE ON nozzles
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE nozzles IS
    'Nozzles (hoses) of a pump. Each nozzle dispenses one fuel type and has its own cumulative '
    'meter, read into nozzle_readings. A nozzle with readings cannot be deleted: set status = '
    'inactive, and add a new nozzle rather than changing the fuel type of one with history.';
COMMENT ON COLUMN nozzles.id IS 'Surrogate key.';
COMMENT ON COLUMN nozzles.pump_id IS 'Pump the nozzle hangs on.';
COMMENT ON COLUMN nozzles.station_id IS
    'Station of the pump, copied here (filled by trigger when omitted) and kept equal to it by the '
    'composite foreign key nozzles_pump_fkey. It lets sales prove their station is their '
    'nozzle''s station.';
COMMENT ON COLUMN nozzles.nozzle_number IS 'Number of the nozzle on its pump (1, 2, ...); unique per pump.';
COMMENT ON COLUMN nozzles.fuel_type IS 'Fuel dispensed: petrol, diesel or premium (branded high-octane petrol).';
COMMENT ON COLUMN nozzles.status IS 'active: in service; inactive: decommissioned; maintenance: temporarily out of service.';
COMMENT ON COLUMN nozzles.created_at IS 'When the row was created.';
COMMENT ON COLUMN nozzles.updated_at IS 'When the row was last changed (maintained by trigger).';
COMMENT ON CONSTRAINT nozzles_pump_id_nozzle_number_key ON nozzles IS
    'A nozzle number is unique on its pump. Its index, leading with pump_id, also serves the '
    'foreign key nozzles_pump_fkey (pump_id, station_id): station_id is fixed by pump_id.';
COMMENT ON CONSTRAINT nozzles_id_station_id_key ON nozzles IS
    'Target of the sales (nozzle_id, station_id) foreign key: a sale''s station is its nozzle''s station.';
COMMENT ON CONSTRAINT nozzles_pump_fkey ON nozzles IS
    'Nozzles belong to their pump (deleted with it); the station_id part keeps nozzles.station_id '
    'equal to the pump''s station, also when a pump moves (ON UPDATE CASCADE).';
COMMENT ON CONSTRAINT nozzles_nozzle_number_check ON nozzles IS 'Nozzle numbers start at 1.';
COMMENT ON CONSTRAINT nozzles_fuel_type_check ON nozzles IS 'Allowed fuel types: petrol, diesel, premium.';
COMMENT ON CONSTRAINT nozzles_status_check ON nozzles IS 'Allowed statuses: active, inactive, maintenance.';

-- ---------------------------------------------------------------------------------------------
-- fuel_prices
-- ---------------------------------------------------------------------------------------------
CREATE TABLE fuel_prices (
    id               uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    station_id       uuid          NOT NULL,
    fuel_type        text          NOT NULL,
    price_per_litre  numeric(10,3) NOT NULL,
    valid_from       timestamptz   NOT NULL,
    created_by       uuid,
    created_at       timestamptz   NOT NULL DEFAULT now(),
    updated_at       timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT fuel_prices_station_id_fuel_type_valid_from_key UNIQUE (station_id, fuel_type, valid_from),
    CONSTRAINT fuel_prices_station_id_fkey FOREIGN KEY (station_id) REFERENCES stations (id)
        ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT fuel_prices_created_by_fkey FOREIGN KEY (created_by) REFERENCES users (id)
        ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT fuel_prices_fuel_type_check CHECK (fuel_type IN ('petrol', 'diesel', 'premium')),
    CONSTRAINT fuel_prices_price_per_litre_check CHECK (price_per_litre > 0)
);

CREATE INDEX fuel_prices_created_by_idx ON fuel_prices (created_by);

CREATE TRIGGER fuel_prices_set_updated_at BEFORE UPDATE ON fuel_prices
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE fuel_prices IS
    'Selling price history per station and fuel type. A row says: from valid_from on, this fuel '
    'sells at price_per_litre at this station, until the next row (later valid_from) for the same '
    'station and fuel type. Periods therefore never overlap and have no gaps by construction. The '
    'price in force at time t is the row with the greatest valid_from <= t: '
    'SELECT price_per_litre FROM fuel_prices WHERE station_id = $1 AND fuel_type = $2 AND '
    'valid_from <= $3 ORDER BY valid_from DESC LIMIT 1 (a backward scan of the unique index). '
    'The view fuel_price_periods shows each row with its end (valid_to). A price change is a new '
    'row; existing rows are not edited once sales have used them.';
COMMENT ON COLUMN fuel_prices.id IS 'Surrogate key.';
COMMENT ON COLUMN fuel_prices.station_id IS 'Station the price applies to (prices differ by station and state).';
COMMENT ON COLUMN fuel_prices.fuel_type IS 'Fuel the price is for: petrol, diesel or premium.';
COMMENT ON COLUMN fuel_prices.price_per_litre IS 'Retail selling price in INR per litre, taxes included.';
COMMENT ON COLUMN fuel_prices.valid_from IS
    'Start of the period in which the price is in force (inclusive). May be in the future to '
    'schedule a revision (Indian oil companies revise prices with effect from 06:00).';
COMMENT ON COLUMN fuel_prices.created_by IS 'User who entered the price; NULL if unknown or the user was deleted.';
COMMENT ON COLUMN fuel_prices.created_at IS 'When the row was created.';
COMMENT ON COLUMN fuel_prices.updated_at IS 'When the row was last changed (maintained by trigger).';
COMMENT ON CONSTRAINT fuel_prices_station_id_fuel_type_valid_from_key ON fuel_prices IS
    'At most one price starts at a given time for a station and fuel type; also the index that '
    'finds the price in force at a time.';
COMMENT ON CONSTRAINT fuel_prices_station_id_fkey ON fuel_prices IS
    'Prices belong to their station: deleted with it (sales keep their own copy of the price).';
COMMENT ON CONSTRAINT fuel_prices_created_by_fkey ON fuel_prices IS 'Deleting a user keeps the price and clears created_by.';
COMMENT ON CONSTRAINT fuel_prices_fuel_type_check ON fuel_prices IS 'Allowed fuel types: petrol, diesel, premium.';
COMMENT ON CONSTRAINT fuel_prices_price_per_litre_check ON fuel_prices IS 'A selling price is positive.';

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

-- ---------------------------------------------------------------------------------------------
-- nozzle_readings
-- ---------------------------------------------------------------------------------------------
CREATE TABLE nozzle_readings (
    id           uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    nozzle_id    uuid          NOT NULL,
    reading      numeric(12,3) NOT NULL,
    recorded_at  timestamptz   NOT NULL,
    recorded_by  uuid,
    notes        text,
    created_at   timestamptz   NOT NULL DEFAULT now(),
    updated_at   timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT nozzle_readings_nozzle_id_recorded_at_key UNIQUE (nozzle_id, recorded_at),
    CONSTRAINT nozzle_readings_id_nozzle_id_recorded_at_key UNIQUE (id, nozzle_id, recorded_at),
    CONSTRAINT nozzle_readings_nozzle_id_fkey FOREIGN KEY (nozzle_id) REFERENCES nozzles (id)
        ON DELETE RESTRICT DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT nozzle_readings_recorded_by_fkey FOREIGN KEY (recorded_by) REFERENCES users (id)
        ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT nozzle_readings_reading_check CHECK (reading >= 0)
);

CREATE INDEX nozzle_readings_recorded_by_idx ON nozzle_readings (recorded_by);

CREATE TRIGGER nozzle_readings_set_updated_at BEFORE UPDATE ON nozzle_readings
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE nozzle_readings IS
    'Meter readings of nozzles. A reading is the value of the nozzle''s cumulative (totaliser) '
    'meter, in litres, at recorded_at - typically taken by the attendant at each shift change. '
    'The meter only counts up, so for a nozzle the readings ordered by recorded_at are '
    'non-decreasing; the litres sold between two consecutive readings are their difference. '
    'Every reading except a nozzle''s first has exactly one sale (sales.reading_id). A meter that '
    'is replaced or reset is recorded as a new nozzle, not as a smaller reading. Readings are '
    'business records: a nozzle with readings cannot be deleted.';
COMMENT ON COLUMN nozzle_readings.id IS 'Surrogate key.';
COMMENT ON COLUMN nozzle_readings.nozzle_id IS 'Nozzle whose meter was read.';
COMMENT ON COLUMN nozzle_readings.reading IS
    'Cumulative meter value in litres (3 decimals). Never decreases from one reading of a nozzle '
    'to the next.';
COMMENT ON COLUMN nozzle_readings.recorded_at IS 'When the meter showed this value.';
COMMENT ON COLUMN nozzle_readings.recorded_by IS 'User who took the reading; NULL if unknown or the user was deleted.';
COMMENT ON COLUMN nozzle_readings.notes IS 'Free-text remark, e.g. why a reading was corrected.';
COMMENT ON COLUMN nozzle_readings.created_at IS 'When the row was created.';
COMMENT ON COLUMN nozzle_readings.updated_at IS 'When the row was last changed (maintained by trigger).';
COMMENT ON CONSTRAINT nozzle_readings_nozzle_id_recorded_at_key ON nozzle_readings IS
    'One reading per nozzle per instant; also the index that finds a nozzle''s previous reading.';
COMMENT ON CONSTRAINT nozzle_readings_id_nozzle_id_recorded_at_key ON nozzle_readings IS
    'Target of the sales (reading_id, nozzle_id, sold_at) foreign key: a sale''s nozzle and time '
    'are its reading''s.';
COMMENT ON CONSTRAINT nozzle_readings_nozzle_id_fkey ON nozzle_readings IS
    'Readings are business records: a nozzle with readings cannot be deleted.';
COMMENT ON CONSTRAINT nozzle_readings_recorded_by_fkey ON nozzle_readings IS
    'Deleting a user keeps the readings and clears recorded_by.';
COMMENT ON CONSTRAINT nozzle_readings_reading_check ON nozzle_readings IS 'A meter value is never negative.';

-- ---------------------------------------------------------------------------------------------
-- creditors
-- ---------------------------------------------------------------------------------------------
CREATE TABLE creditors (
    id                   uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    station_id           uuid          NOT NULL,
    name                 text          NOT NULL,
    contact_person       text,
    phone                text,
    email                text,
    gstin                text,
    credit_limit         numeric(12,2) NOT NULL DEFAULT 0,
    outstanding_balance  numeric(12,2) NOT NULL DEFAULT 0,
    is_active            boolean       NOT NULL DEFAULT true,
    created_at           timestamptz   NOT NULL DEFAULT now(),
    updated_at           timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT creditors_station_id_name_key UNIQUE (station_id, name),
    CONSTRAINT creditors_id_station_id_key UNIQUE (id, station_id),
    CONSTRAINT creditors_station_id_fkey FOREIGN KEY (station_id) REFERENCES stations (id)
        ON DELETE RESTRICT DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT creditors_name_check CHECK (btrim(name) <> ''),
    CONSTRAINT creditors_credit_limit_check CHECK (credit_limit >= 0),
    CONSTRAINT creditors_gstin_check CHECK (gstin ~ '^[0-9]{2}[0-9A-Z]{13}$')
);

CREATE TRIGGER creditors_set_updated_at BEFORE UPDATE ON creditors
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE creditors IS
    'Credit customers of a station (transport fleets, institutions) who buy fuel on account and '
    'pay later. outstanding_balance is what they owe; a credit sale may not take it above '
    'credit_limit. Creditors with history cannot be deleted: set is_active = false.';
COMMENT ON COLUMN creditors.id IS 'Surrogate key.';
COMMENT ON COLUMN creditors.station_id IS 'Station that extends the credit.';
COMMENT ON COLUMN creditors.name IS 'Customer name, unique within the station.';
COMMENT ON COLUMN creditors.contact_person IS 'Person to call about the account.';
COMMENT ON COLUMN creditors.phone IS 'Contact phone number.';
COMMENT ON COLUMN creditors.email IS 'Contact email for statements.';
COMMENT ON COLUMN creditors.gstin IS 'GST identification number (15 characters), if registered.';
COMMENT ON COLUMN creditors.credit_limit IS
    'Most the customer may owe, in INR. Lowering it below outstanding_balance is allowed and '
    'blocks further credit sales until payments bring the balance down.';
COMMENT ON COLUMN creditors.outstanding_balance IS
    'What the customer owes now, in INR: the opening balance given at creation, plus credit '
    'sales, minus credit payments. Maintained by statement triggers on sales and credit_payments '
    '(do not update it by hand). Negative means the customer paid in advance. Note: a data-only '
    'restore into a schema with these triggers enabled would count the restored sales and '
    'payments twice; restore data with --disable-triggers or restore the whole schema.';
COMMENT ON COLUMN creditors.is_active IS 'False: no new credit sales should be made to this customer.';
COMMENT ON COLUMN creditors.created_at IS 'When the row was created.';
COMMENT ON COLUMN creditors.updated_at IS 'When the row was last changed (maintained by trigger).';
COMMENT ON CONSTRAINT creditors_station_id_name_key ON creditors IS 'Creditor names are unique within a station.';
COMMENT ON CONSTRAINT creditors_id_station_id_key ON creditors IS
    'Target of the sales (creditor_id, station_id) foreign key: a credit sale''s creditor belongs '
    'to the station that made the sale.';
COMMENT ON CONSTRAINT creditors_station_id_fkey ON creditors IS
    'Creditors hold money owed: a station with creditors cannot be deleted.';
COMMENT ON CONSTRAINT creditors_credit_limit_check ON creditors IS 'A credit limit is never negative (0 = no credit).';
COMMENT ON CONSTRAINT creditors_gstin_check ON creditors IS
    'A GSTIN is 15 characters: a 2-digit state code then 13 upper-case letters or digits.';

-- ---------------------------------------------------------------------------------------------
-- credit_payments
-- ---------------------------------------------------------------------------------------------
CREATE TABLE credit_payments (
    id                uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    creditor_id       uuid          NOT NULL,
    amount            numeric(12,2) NOT NULL,
    payment_method    text          NOT NULL,
    reference_number  text,
    paid_at           timestamptz   NOT NULL,
    recorded_by       uuid,
    notes             text,
    created_at        timestamptz   NOT NULL DEFAULT now(),
    updated_at        timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT credit_payments_creditor_id_fkey FOREIGN KEY (creditor_id) REFERENCES creditors (id)
        ON DELETE RESTRICT DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT credit_payments_recorded_by_fkey FOREIGN KEY (recorded_by) REFERENCES users (id)
        ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT credit_payments_amount_check CHECK (amount > 0),
    CONSTRAINT credit_payments_payment_method_check CHECK (
        payment_method IN ('cash', 'card', 'upi', 'bank_transfer', 'cheque'))
);

CREATE INDEX credit_payments_creditor_id_paid_at_idx ON credit_payments (creditor_id, paid_at);
CREATE INDEX credit_payments_recorded_by_idx ON credit_payments (recorded_by);

CREATE TRIGGER credit_payments_set_updated_at BEFORE UPDATE ON credit_payments
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE credit_payments IS
    'Payments received from creditors against their outstanding balance. Each payment lowers '
    'creditors.outstanding_balance by its amount (statement triggers). Payments are business '
    'records: a creditor with payments cannot be deleted.';
COMMENT ON COLUMN credit_payments.id IS 'Surrogate key.';
COMMENT ON COLUMN credit_payments.creditor_id IS 'Creditor who paid.';
COMMENT ON COLUMN credit_payments.amount IS 'Amount received in INR.';
COMMENT ON COLUMN credit_payments.payment_method IS 'How it was paid: cash, card, upi, bank_transfer or cheque.';
COMMENT ON COLUMN credit_payments.reference_number IS 'UTR, cheque or receipt number.';
COMMENT ON COLUMN credit_payments.paid_at IS 'When the payment was received.';
COMMENT ON COLUMN credit_payments.recorded_by IS 'User who recorded the payment; NULL if unknown or the user was deleted.';
COMMENT ON COLUMN credit_payments.notes IS 'Free-text remark.';
COMMENT ON COLUMN credit_payments.created_at IS 'When the row was created.';
COMMENT ON COLUMN credit_payments.updated_at IS 'When the row was last changed (maintained by trigger).';
COMMENT ON CONSTRAINT credit_payments_creditor_id_fkey ON credit_payments IS
    'Payments are business records: a creditor with payments cannot be deleted.';
COMMENT ON CONSTRAINT credit_payments_recorded_by_fkey ON credit_payments IS
    'Deleting a user keeps the payment and clears recorded_by.';
COMMENT ON CONSTRAINT credit_payments_amount_check ON credit_payments IS 'A payment is a positive amount.';
COMMENT ON CONSTRAINT credit_payments_payment_method_check ON credit_payments IS
    'Allowed methods: cash, card, upi, bank_transfer, cheque (not credit).';

-- ---------------------------------------------------------------------------------------------
-- sales
-- ---------------------------------------------------------------------------------------------
CREATE TABLE sales (
    id               uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    reading_id       uuid          NOT NULL,
    nozzle_id        uuid          NOT NULL,
    station_id       uuid          NOT NULL,
    sold_at          timestamptz   NOT NULL,
    volume           numeric(12,3) NOT NULL,
    price_per_litre  numeric(10,3) NOT NULL,
    amount           numeric(12,2) NOT NULL,
    payment_method   text          NOT NULL,
    creditor_id      uuid,
    recorded_by      uuid,
    created_at       timestamptz   NOT NULL DEFAULT now(),
    updated_at       timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT sales_reading_id_key UNIQUE (reading_id),
    CONSTRAINT sales_reading_fkey FOREIGN KEY (reading_id, nozzle_id, sold_at)
        REFERENCES nozzle_readings (id, nozzle_id, recorded_at)
        ON DELETE RESTRICT ON UPDATE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT sales_nozzle_fkey FOREIGN KEY (nozzle_id, station_id) REFERENCES nozzles (id, station_id)
        ON DELETE RESTRICT DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT sales_station_id_fkey FOREIGN KEY (station_id) REFERENCES stations (id)
        ON DELETE RESTRICT DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT sales_creditor_fkey FOREIGN KEY (creditor_id, station_id) REFERENCES creditors (id, station_id)
        ON DELETE RESTRICT DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT sales_recorded_by_fkey FOREIGN KEY (recorded_by) REFERENCES users (id)
        ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT sales_volume_check CHECK (volume >= 0),
    CONSTRAINT sales_price_per_litre_check CHECK (price_per_litre > 0),
    CONSTRAINT sales_amount_check CHECK (amount = round(volume * price_per_litre, 2)),
    CONSTRAINT sales_payment_method_check CHECK (payment_method IN ('cash', 'card', 'upi', 'credit')),
    CONSTRAINT sales_credit_creditor_check CHECK ((payment_method = 'credit') = (creditor_id IS NOT NULL))
);

CREATE INDEX sales_nozzle_id_sold_at_idx ON sales (nozzle_id, sold_at);
CREATE INDEX sales_station_id_sold_at_idx ON sales (station_id, sold_at);
CREATE INDEX sales_creditor_id_sold_at_idx ON sales (creditor_id, sold_at) WHERE creditor_id IS NOT NULL;
CREATE INDEX sales_recorded_by_idx ON sales (recorded_by);

CREATE TRIGGER sales_set_updated_at BEFORE UPDATE ON sales
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE sales IS
    'Fuel sold through a nozzle between two consecutive readings: one sale per reading (except a '
    'nozzle''s first reading). volume = this reading minus the nozzle''s previous reading; '
    'price_per_litre = the fuel_prices price in force at the reading''s time for the station and '
    'the nozzle''s fuel type; amount = round(volume * price_per_litre, 2). A credit sale names '
    'its creditor, who must belong to the same station, and may not take the creditor''s '
    'outstanding balance above the credit limit (checked by a statement trigger). Sales are '
    'business records: their readings, nozzles, stations and creditors cannot be deleted.';
COMMENT ON COLUMN sales.id IS 'Surrogate key.';
COMMENT ON COLUMN sales.reading_id IS 'The reading that closes the period this sale covers; one sale per reading.';
COMMENT ON COLUMN sales.nozzle_id IS 'Nozzle that dispensed the fuel; always the reading''s nozzle (composite foreign key).';
COMMENT ON COLUMN sales.station_id IS 'Station of the sale; always the nozzle''s station (composite foreign key).';
COMMENT ON COLUMN sales.sold_at IS
    'Time of the sale: always the reading''s recorded_at (composite foreign key, follows '
    'corrections of the reading by ON UPDATE CASCADE).';
COMMENT ON COLUMN sales.volume IS
    'Litres sold: the reading minus the previous reading of the same nozzle (by recorded_at). '
    'Not enforced by a constraint, as it spans two readings: whoever writes the sale computes it.';
COMMENT ON COLUMN sales.price_per_litre IS 'Selling price per litre in INR in force at sold_at (a copy, so later price edits do not change the sale).';
COMMENT ON COLUMN sales.amount IS 'Amount charged in INR: round(volume * price_per_litre, 2).';
COMMENT ON COLUMN sales.payment_method IS 'cash, card, upi or credit (on account of creditor_id).';
COMMENT ON COLUMN sales.creditor_id IS 'Creditor charged for a credit sale; NULL for every other payment method.';
COMMENT ON COLUMN sales.recorded_by IS 'User who recorded the sale; NULL if unknown or the user was deleted.';
COMMENT ON COLUMN sales.created_at IS 'When the row was created.';
COMMENT ON COLUMN sales.updated_at IS 'When the row was last changed (maintained by trigger).';
COMMENT ON CONSTRAINT sales_reading_id_key ON sales IS
    'At most one sale per reading. Its index also serves the foreign key sales_reading_fkey '
    '(reading_id, nozzle_id, sold_at): a lookup by reading_id finds at most one row.';
COMMENT ON CONSTRAINT sales_reading_fkey ON sales IS
    'The sale''s reading, nozzle and time agree with the reading. A reading with a sale cannot be '
    'deleted; a corrected reading time or nozzle is carried over to the sale.';
COMMENT ON CONSTRAINT sales_nozzle_fkey ON sales IS
    'The sale''s station is its nozzle''s station. A nozzle with sales cannot be deleted.';
COMMENT ON CONSTRAINT sales_station_id_fkey ON sales IS 'A station with sales cannot be deleted.';
COMMENT ON CONSTRAINT sales_creditor_fkey ON sales IS
    'A credit sale''s creditor belongs to the sale''s station. A creditor with sales cannot be deleted.';
COMMENT ON CONSTRAINT sales_recorded_by_fkey ON sales IS 'Deleting a user keeps the sale and clears recorded_by.';
COMMENT ON CONSTRAINT sales_volume_check ON sales IS 'Litres sold are never negative (0 when the nozzle was idle).';
COMMENT ON CONSTRAINT sales_price_per_litre_check ON sales IS 'A selling price is positive.';
COMMENT ON CONSTRAINT sales_amount_check ON sales IS
    'amount is volume times price per litre, rounded half away from zero to the paisa.';
COMMENT ON CONSTRAINT sales_payment_method_check ON sales IS 'Allowed methods: cash, card, upi, credit.';
COMMENT ON CONSTRAINT sales_credit_creditor_check ON sales IS
    'A sale has a creditor if and only if it is a credit sale.';
COMMENT ON INDEX sales_nozzle_id_sold_at_idx IS
    'Sales of a nozzle by time. Also the index of the foreign key sales_nozzle_fkey '
    '(nozzle_id, station_id): station_id is fixed by nozzle_id.';
COMMENT ON INDEX sales_station_id_sold_at_idx IS
    'Sales of a station by time (daily sales and shift reports). Also the index of the foreign '
    'key sales_station_id_fkey.';
COMMENT ON INDEX sales_creditor_id_sold_at_idx IS
    'Credit sales of a creditor by time (statements). Also the index of the foreign key '
    'sales_creditor_fkey (creditor_id, station_id): station_id is fixed by creditor_id. Partial, '
    'because only credit sales have a creditor; lookups by creditor_id imply creditor_id IS NOT NULL.';

-- ---------------------------------------------------------------------------------------------
-- Creditor balances: maintained from sales and payments, credit limit enforced
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION sales_apply_credit_balance() RETURNS trigger
LANGUAGE plpgsql
AS $fn$
DECLARE
    changes     text;
    over_limit  text;
BEGIN
    changes := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT creditor_id, amount FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT creditor_id, -amount FROM old_rows'
        ELSE 'SELECT creditor_id, amount FROM new_rows UNION ALL SELECT creditor_id, -amount FROM old_rows'
    END;
    EXECUTE format(
        'WITH delta AS ('
        '    SELECT creditor_id, sum(amount) AS amount FROM (%s) AS change (creditor_id, amount)'
        '     WHERE creditor_id IS NOT NULL GROUP BY creditor_id HAVING sum(amount) <> 0),'
        ' changed AS ('
        '    UPDATE %I.creditors AS c SET outstanding_balance = c.outstanding_balance + delta.amount'
        '      FROM delta WHERE c.id = delta.creditor_id'
        '    RETURNING c.name, c.outstanding_balance, c.credit_limit, delta.amount AS delta)'
        ' SELECT max(n) || '' creditor(s), e.g. '' || string_agg(name || '' (outstanding '''
        '                   || outstanding_balance || '', limit '' || credit_limit || '')'', ''; '')'
        '   FROM (SELECT name, outstanding_balance, credit_limit, count(*) OVER () AS n'
        '           FROM changed WHERE delta > 0 AND outstanding_balance > credit_limit'
        '          ORDER BY outstanding_balance - credit_limit DESC LIMIT 3) AS worst'
        '  HAVING count(*) > 0',
        changes, TG_TABLE_SCHEMA)
        INTO over_limit;
    IF over_limit IS NOT NULL THEN
        RAISE EXCEPTION 'credit sales would take creditors over their credit limit: %', over_limit
            USING ERRCODE = 'check_violation', SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME,
                  CONSTRAINT = 'sales_credit_limit';
    END IF;
    RETURN NULL;
END
$fn$;

COMMENT ON FUNCTION sales_apply_credit_balance() IS
    'AFTER statement trigger function on sales (INSERT, UPDATE, DELETE): adds the net change of '
    'credit amounts per creditor to creditors.outstanding_balance, and rejects the statement '
    '(SQLSTATE 23514, constraint sales_credit_limit) when it raised a creditor''s balance above '
    'the credit limit. The UPDATE takes the creditor row lock, so concurrent credit sales to the '
    'same creditor are checked one after the other.';

CREATE TRIGGER sales_credit_balance_insert AFTER INSERT ON sales
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sales_apply_credit_balance();
CREATE TRIGGER sales_credit_balance_update AFTER UPDATE ON sales
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sales_apply_credit_balance();
CREATE TRIGGER sales_credit_balance_delete AFTER DELETE ON sales
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sales_apply_credit_balance();

CREATE FUNCTION credit_payments_apply_balance() RETURNS trigger
LANGUAGE plpgsql
AS $fn$
DECLARE
    changes text;
BEGIN
    changes := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT creditor_id, -amount FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT creditor_id, amount FROM old_rows'
        ELSE 'SELECT creditor_id, -amount FROM new_rows UNION ALL SELECT creditor_id, amount FROM old_rows'
    END;
    EXECUTE format(
        'WITH delta AS ('
        '    SELECT creditor_id, sum(amount) AS amount FROM (%s) AS change (creditor_id, amount)'
        '     GROUP BY creditor_id HAVING sum(amount) <> 0)'
        ' UPDATE %I.creditors AS c SET outstanding_balance = c.outstanding_balance + delta.amount'
        '   FROM delta WHERE c.id = delta.creditor_id',
        changes, TG_TABLE_SCHEMA);
    RETURN NULL;
END
$fn$;

COMMENT ON FUNCTION credit_payments_apply_balance() IS
    'AFTER statement trigger function on credit_payments (INSERT, UPDATE, DELETE): subtracts the '
    'net change of payments per creditor from creditors.outstanding_balance.';

CREATE TRIGGER credit_payments_balance_insert AFTER INSERT ON credit_payments
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION credit_payments_apply_balance();
CREATE TRIGGER credit_payments_balance_update AFTER UPDATE ON credit_payments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION credit_payments_apply_balance();
CREATE TRIGGER credit_payments_balance_delete AFTER DELETE ON credit_payments
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION credit_payments_apply_balance();
