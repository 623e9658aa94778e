-- version: 004
-- description: Add inventory system: fuel stock per station and fuel type, tanker deliveries
-- scope: tenant
-- depends: 002
-- transaction: per-migration
-- environments: all

-- ---------------------------------------------------------------------------------------------
-- fuel_inventory
-- ---------------------------------------------------------------------------------------------
CREATE TABLE fuel_inventory (
    id               uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    station_id       uuid          NOT NULL,
    fuel_type        text          NOT NULL,
    current_stock    numeric(12,3) NOT NULL DEFAULT 0,
    minimum_level    numeric(12,3) NOT NULL DEFAULT 0,
    capacity         numeric(12,3) NOT NULL,
    last_updated_at  timestamptz   NOT NULL DEFAULT now(),
    created_at       timestamptz   NOT NULL DEFAULT now(),
    updated_at       timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT fuel_inventory_station_id_fuel_type_key UNIQUE (station_id, fuel_type),
    CONSTRAINT fuel_inventory_station_id_fkey FOREIGN KEY (station_id) REFERENCES stations (id)
        ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT fuel_inventory_fuel_type_check CHECK (fuel_type IN ('petrol', 'diesel', 'premium')),
    CONSTRAINT fuel_inventory_capacity_check CHECK (capacity > 0),
    CONSTRAINT fuel_inventory_current_stock_check CHECK (current_stock >= 0 AND current_stock <= capacity),
    CONSTRAINT fuel_inventory_minimum_level_check CHECK (minimum_level >= 0 AND minimum_level <= capacity)
);

CREATE TRIGGER fuel_inventory_set_updated_at BEFORE UPDATE ON fuel_inventory
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE fuel_inventory IS
    'Fuel stock of a station: one row per station and fuel type (all underground tanks of that '
    'fuel together). current_stock is the latest known quantity, set by the application from tank '
    'dip measurements and reconciled with deliveries and sales; the database does not derive it, '
    'because book stock and dipped stock legitimately differ (evaporation, temperature, '
    'calibration). Below minimum_level a low_stock alert is due.';
COMMENT ON COLUMN fuel_inventory.id IS 'Surrogate key.';
COMMENT ON COLUMN fuel_inventory.station_id IS 'Station holding the stock.';
COMMENT ON COLUMN fuel_inventory.fuel_type IS 'Fuel stocked: petrol, diesel or premium.';
COMMENT ON COLUMN fuel_inventory.current_stock IS 'Litres in the tanks at last_updated_at.';
COMMENT ON COLUMN fuel_inventory.minimum_level IS 'Reorder level in litres: stock below it raises a low_stock alert.';
COMMENT ON COLUMN fuel_inventory.capacity IS 'Total tank capacity in litres for this fuel.';
COMMENT ON COLUMN fuel_inventory.last_updated_at IS
    'When current_stock was last measured or reconciled (updated_at changes on any edit, e.g. of '
    'the capacity).';
COMMENT ON COLUMN fuel_inventory.created_at IS 'When the row was created.';
COMMENT ON COLUMN fuel_inventory.updated_at IS 'When the row was last changed (maintained by trigger).';
COMMENT ON CONSTRAINT fuel_inventory_station_id_fuel_type_key ON fuel_inventory IS
    'One stock row per station and fuel type.';
COMMENT ON CONSTRAINT fuel_inventory_station_id_fkey ON fuel_inventory IS
    'Stock rows describe their station: deleted with it.';
COMMENT ON CONSTRAINT fuel_inventory_fuel_type_check ON fuel_inventory IS 'Allowed fuel types: petrol, diesel, premium.';
COMMENT ON CONSTRAINT fuel_inventory_capacity_check ON fuel_inventory IS 'Tank capacity is positive.';
COMMENT ON CONSTRAINT fuel_inventory_current_stock_check ON fuel_inventory IS
    'Stock is between 0 and the tank capacity.';
COMMENT ON CONSTRAINT fuel_inventory_minimum_level_check ON fuel_inventory IS
    'The reorder level is between 0 and the tank capacity.';

-- ---------------------------------------------------------------------------------------------
-- fuel_deliveries
-- ---------------------------------------------------------------------------------------------
CREATE TABLE fuel_deliveries (
    id              uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    station_id      uuid          NOT NULL,
    fuel_type       text          NOT NULL,
    volume          numeric(12,3) NOT NULL,
    delivered_at    timestamptz   NOT NULL,
    supplier        text          NOT NULL,
    invoice_number  text,
    received_by     uuid,
    notes           text,
    created_at      timestamptz   NOT NULL DEFAULT now(),
    updated_at      timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT fuel_deliveries_supplier_invoice_number_key UNIQUE (supplier, invoice_number),
    CONSTRAINT fuel_deliveries_station_id_fkey FOREIGN KEY (station_id) REFERENCES stations (id)
        ON DELETE RESTRICT DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT fuel_deliveries_received_by_fkey FOREIGN KEY (received_by) REFERENCES users (id)
        ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT fuel_deliveries_fuel_type_check CHECK (fuel_type IN ('petrol', 'diesel', 'premium')),
    CONSTRAINT fuel_deliveries_volume_check CHECK (volume > 0),
    CONSTRAINT fuel_deliveries_supplier_check CHECK (btrim(supplier) <> '')
);

CREATE INDEX fuel_deliveries_station_id_delivered_at_idx ON fuel_deliveries (station_id, delivered_at);
CREATE INDEX fuel_deliveries_received_by_idx ON fuel_deliveries (received_by);

CREATE TRIGGER fuel_deliveries_set_updated_at BEFORE UPDATE ON fuel_deliveries
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE fuel_deliveries IS
    'Tanker deliveries of fuel to a station (decanted into its tanks), with the supplier''s '
    'invoice. Deliveries are business records: a station with deliveries cannot be deleted.';
COMMENT ON COLUMN fuel_deliveries.id IS 'Surrogate key.';
COMMENT ON COLUMN fuel_deliveries.station_id IS 'Station that received the fuel.';
COMMENT ON COLUMN fuel_deliveries.fuel_type IS 'Fuel delivered: petrol, diesel or premium.';
COMMENT ON COLUMN fuel_deliveries.volume IS 'Litres received (as measured at decanting).';
COMMENT ON COLUMN fuel_deliveries.delivered_at IS 'When the tanker was decanted.';
COMMENT ON COLUMN fuel_deliveries.supplier IS 'Oil company or depot that supplied the fuel, e.g. IOCL, BPCL, HPCL.';
COMMENT ON COLUMN fuel_deliveries.invoice_number IS 'Supplier''s invoice number; unique per supplier when given.';
COMMENT ON COLUMN fuel_deliveries.received_by IS 'User who received the delivery; NULL if unknown or the user was deleted.';
COMMENT ON COLUMN fuel_deliveries.notes IS 'Free-text remark, e.g. a shortage found at decanting.';
COMMENT ON COLUMN fuel_deliveries.created_at IS 'When the row was created.';
COMMENT ON COLUMN fuel_deliveries.updated_at IS 'When the row was last changed (maintained by trigger).';
COMMENT ON CONSTRAINT fuel_deliveries_supplier_invoice_number_key ON fuel_deliveries IS
    'A supplier''s invoice is entered once (deliveries without an invoice number are not compared).';
COMMENT ON CONSTRAINT fuel_deliveries_station_id_fkey ON fuel_deliveries IS
    'Deliveries are business records: a station with deliveries cannot be deleted.';
COMMENT ON CONSTRAINT fuel_deliveries_received_by_fkey ON fuel_deliveries IS
    'Deleting a user keeps the delivery and clears received_by.';
COMMENT ON CONSTRAINT fuel_deliveries_fuel_type_check ON fuel_deliveries IS 'Allowed fuel types: petrol, diesel, premium.';
COMMENT ON CONSTRAINT fuel_deliveries_volume_check ON fuel_deliveries IS 'A delivery brings a positive number of litres.';
