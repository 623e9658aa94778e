-- version: 005
-- description: Add alerts system: station alerts with type, severity, read and resolved state
-- scope: tenant
-- depends: 002
-- transaction: per-migration
-- environments: all

CREATE TABLE alerts (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    station_id   uuid        NOT NULL,
    alert_type   text        NOT NULL,
    severity     text        NOT NULL DEFAULT 'info',
    message      text        NOT NULL,
    is_read      boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    resolved_at  timestamptz,
    CONSTRAINT alerts_station_id_fkey FOREIGN KEY (station_id) REFERENCES stations (id)
        ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT alerts_alert_type_check CHECK (
        alert_type IN ('low_stock', 'credit_limit', 'reading_anomaly', 'price_change')),
    CONSTRAINT alerts_severity_check CHECK (severity IN ('info', 'warning', 'critical')),
    CONSTRAINT alerts_message_check CHECK (btrim(message) <> ''),
    CONSTRAINT alerts_resolved_at_check CHECK (resolved_at >= created_at)
);

CREATE INDEX alerts_station_id_created_at_idx ON alerts (station_id, created_at);
CREATE INDEX alerts_unresolved_idx ON alerts (station_id, created_at) WHERE resolved_at IS NULL;

CREATE TRIGGER alerts_set_updated_at BEFORE UPDATE ON alerts
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE alerts IS
    'Notifications about a station for its managers: stock below the reorder level, a creditor '
    'near or over the credit limit, a suspicious meter reading, a price change. An alert is open '
    'until resolved_at is set; is_read only records that someone has seen it.';
COMMENT ON COLUMN alerts.id IS 'Surrogate key.';
COMMENT ON COLUMN alerts.station_id IS 'Station the alert is about.';
COMMENT ON COLUMN alerts.alert_type IS
    'low_stock: fuel_inventory below minimum_level; credit_limit: a creditor''s outstanding '
    'balance near or above the limit; reading_anomaly: a nozzle reading out of line with the '
    'nozzle''s usual volumes; price_change: a fuel price was revised.';
COMMENT ON COLUMN alerts.severity IS 'info: for the record; warning: needs attention; critical: needs action now.';
COMMENT ON COLUMN alerts.message IS 'Human-readable text of the alert.';
COMMENT ON COLUMN alerts.is_read IS 'True once a user has seen the alert.';
COMMENT ON COLUMN alerts.created_at IS 'When the alert was raised.';
COMMENT ON COLUMN alerts.updated_at IS 'When the row was last changed (maintained by trigger).';
COMMENT ON COLUMN alerts.resolved_at IS 'When the cause was dealt with; NULL while the alert is open.';
COMMENT ON CONSTRAINT alerts_station_id_fkey ON alerts IS 'Alerts are about their station: deleted with it.';
COMMENT ON CONSTRAINT alerts_alert_type_check ON alerts IS
    'Allowed types: low_stock, credit_limit, reading_anomaly, price_change.';
COMMENT ON CONSTRAINT alerts_severity_check ON alerts IS 'Allowed severities: info, warning, critical.';
COMMENT ON CONSTRAINT alerts_resolved_at_check ON alerts IS 'An alert cannot be resolved before it was raised.';
COMMENT ON INDEX alerts_unresolved_idx IS 'Open alerts of a station, newest last: the dashboard query.';
