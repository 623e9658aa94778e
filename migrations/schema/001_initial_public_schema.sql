-- version: 001
-- description: Initial public schema: subscription plans, tenants, platform admin users
-- scope: public
-- depends:
-- transaction: per-migration
-- environments: all
--
-- Platform-level tables shared by every tenant. Runs with search_path = public.
-- schema_migrations is created and owned by the migration runner, not by this file.

-- Keeps updated_at current on every UPDATE of the public tables. Tenant schemas get their own
-- copy (migration 002) so that a tenant schema is self-contained in a per-tenant dump.
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$fn$;

COMMENT ON FUNCTION set_updated_at() IS
    'BEFORE UPDATE row trigger function: sets updated_at to the transaction time on every update.';

-- ---------------------------------------------------------------------------------------------
-- plans
-- ---------------------------------------------------------------------------------------------
CREATE TABLE plans (
    id                      uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    name                    text          NOT NULL,
    description             text,
    max_stations            integer       NOT NULL,
    max_pumps_per_station   integer       NOT NULL,
    max_nozzles_per_pump    integer       NOT NULL,
    max_users               integer       NOT NULL,
    price_monthly           numeric(12,2) NOT NULL DEFAULT 0,
    features                jsonb         NOT NULL DEFAULT '{}'::jsonb,
    is_active               boolean       NOT NULL DEFAULT true,
    created_at              timestamptz   NOT NULL DEFAULT now(),
    updated_at              timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT plans_name_key UNIQUE (name),
    CONSTRAINT plans_name_check CHECK (btrim(name) <> ''),
    CONSTRAINT plans_limits_check CHECK (
        max_stations > 0 AND max_pumps_per_station > 0
        AND max_nozzles_per_pump > 0 AND max_users > 0),
    CONSTRAINT plans_price_monthly_check CHECK (price_monthly >= 0),
    CONSTRAINT plans_features_check CHECK (jsonb_typeof(features) = 'object')
);

CREATE TRIGGER plans_set_updated_at BEFORE UPDATE ON plans
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE plans IS
    'Subscription plans of the FuelSync Hub platform. A plan caps what a tenant may create; the '
    'application enforces the limits when stations, pumps, nozzles and users are added. The '
    'catalogue is maintained by the production seed (upsert by name).';
COMMENT ON COLUMN plans.id IS 'Surrogate key.';
COMMENT ON COLUMN plans.name IS 'Display name, unique; the natural key the plan catalogue seed upserts on.';
COMMENT ON COLUMN plans.description IS 'Marketing description shown to tenants.';
COMMENT ON COLUMN plans.max_stations IS 'Most stations a tenant on this plan may have.';
COMMENT ON COLUMN plans.max_pumps_per_station IS 'Most pumps per station.';
COMMENT ON COLUMN plans.max_nozzles_per_pump IS 'Most nozzles per pump.';
COMMENT ON COLUMN plans.max_users IS 'Most tenant users (owners, managers and attendants together).';
COMMENT ON COLUMN plans.price_monthly IS 'Monthly subscription price in INR, excluding GST.';
COMMENT ON COLUMN plans.features IS
    'Feature flags as a JSON object, e.g. {"credit_management": true, "inventory": true}.';
COMMENT ON COLUMN plans.is_active IS 'False: kept for existing tenants but no longer offered to new ones.';
COMMENT ON COLUMN plans.created_at IS 'When the row was created.';
COMMENT ON COLUMN plans.updated_at IS 'When the row was last changed (maintained by trigger).';
COMMENT ON CONSTRAINT plans_limits_check ON plans IS 'Every plan limit is a positive number; there is no "unlimited".';
COMMENT ON CONSTRAINT plans_price_monthly_check ON plans IS 'A price is never negative; 0 is a free plan.';
COMMENT ON CONSTRAINT plans_features_check ON plans IS 'features must be a JSON object (flag name -> value).';

-- ---------------------------------------------------------------------------------------------
-- tenants
-- ---------------------------------------------------------------------------------------------
CREATE TABLE tenants (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name           text        NOT NULL,
    schema_name    text        NOT NULL,
    plan_id        uuid,
    status         text        NOT NULL DEFAULT 'active',
    contact_email  text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tenants_schema_name_key UNIQUE (schema_name),
    CONSTRAINT tenants_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans (id)
        ON DELETE RESTRICT DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT tenants_name_check CHECK (btrim(name) <> ''),
    CONSTRAINT tenants_schema_name_check CHECK (
        schema_name ~ '^[a-z_][a-z0-9_]{0,62}$'
        AND schema_name <> 'public'
        AND schema_name <> 'information_schema'
        AND left(schema_name, 3) <> 'pg_'),
    CONSTRAINT tenants_status_check CHECK (status IN ('active', 'suspended', 'cancelled')),
    CONSTRAINT tenants_contact_email_check CHECK (contact_email ~ '^[^@[:space:]]+@[^@[:space:]]+$')
);

CREATE INDEX tenants_plan_id_idx ON tenants (plan_id);

CREATE TRIGGER tenants_set_updated_at BEFORE UPDATE ON tenants
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE tenants IS
    'Tenant organisations (fuel companies). Each tenant owns one PostgreSQL schema, named by '
    'schema_name, holding its users, stations, pumps, nozzles, readings, sales and so on. The '
    'row is the registry the migration runner reads to find the tenant schemas.';
COMMENT ON COLUMN tenants.id IS 'Surrogate key.';
COMMENT ON COLUMN tenants.name IS 'Display name of the fuel company.';
COMMENT ON COLUMN tenants.schema_name IS
    'Name of the tenant''s schema: a plain lower-case identifier, so that it never needs quoting.';
COMMENT ON COLUMN tenants.plan_id IS
    'Subscription plan; NULL until a plan is assigned (fuelsync-db tenant create sets only name '
    'and schema_name).';
COMMENT ON COLUMN tenants.status IS
    'active: in use; suspended: access blocked (e.g. unpaid), data kept; cancelled: contract ended, '
    'data kept until the schema is archived and dropped.';
COMMENT ON COLUMN tenants.contact_email IS 'Billing and operations contact of the tenant.';
COMMENT ON COLUMN tenants.created_at IS 'When the tenant was registered.';
COMMENT ON COLUMN tenants.updated_at IS 'When the row was last changed (maintained by trigger).';
COMMENT ON CONSTRAINT tenants_schema_name_key ON tenants IS 'One tenant per schema.';
COMMENT ON CONSTRAINT tenants_plan_id_fkey ON tenants IS
    'A plan that tenants are on cannot be deleted (deactivate it with is_active = false instead).';
COMMENT ON CONSTRAINT tenants_schema_name_check ON tenants IS
    'A tenant schema name is 1 to 63 lower-case letters, digits and underscores, not starting with '
    'a digit, and is not public, information_schema or a pg_ name reserved by PostgreSQL.';
COMMENT ON CONSTRAINT tenants_status_check ON tenants IS 'Allowed statuses: active, suspended, cancelled.';
COMMENT ON CONSTRAINT tenants_contact_email_check ON tenants IS 'A contact email has the shape local@domain.';

-- ---------------------------------------------------------------------------------------------
-- admin_users
-- ---------------------------------------------------------------------------------------------
CREATE TABLE admin_users (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    email          text        NOT NULL,
    password_hash  text        NOT NULL,
    name           text        NOT NULL,
    role           text        NOT NULL DEFAULT 'superadmin',
    is_active      boolean     NOT NULL DEFAULT true,
    last_login_at  timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT admin_users_email_key UNIQUE (email),
    CONSTRAINT admin_users_email_check CHECK (
        email = lower(btrim(email)) AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    CONSTRAINT admin_users_password_hash_check CHECK (password_hash <> ''),
    CONSTRAINT admin_users_name_check CHECK (btrim(name) <> ''),
    CONSTRAINT admin_users_role_check CHECK (role IN ('superadmin', 'support'))
);

CREATE TRIGGER admin_users_set_updated_at BEFORE UPDATE ON admin_users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE admin_users IS
    'Platform administrators of FuelSync Hub (not tenant users, who live in each tenant schema''s '
    'users table).';
COMMENT ON COLUMN admin_users.id IS 'Surrogate key.';
COMMENT ON COLUMN admin_users.email IS 'Login name; stored lower-case so that uniqueness is case-insensitive.';
COMMENT ON COLUMN admin_users.password_hash IS 'Password hash (bcrypt); never the password itself.';
COMMENT ON COLUMN admin_users.name IS 'Full name.';
COMMENT ON COLUMN admin_users.role IS
    'superadmin: full platform control; support: read-only access for support staff.';
COMMENT ON COLUMN admin_users.is_active IS 'False: the account cannot log in; kept for the audit trail.';
COMMENT ON COLUMN admin_users.last_login_at IS 'Time of the last successful login; NULL if never.';
COMMENT ON COLUMN admin_users.created_at IS 'When the account was created.';
COMMENT ON COLUMN admin_users.updated_at IS 'When the row was last changed (maintained by trigger).';
COMMENT ON CONSTRAINT admin_users_email_check ON admin_users IS
    'Emails are stored trimmed and lower-case, with the shape local@domain, so the unique '
    'constraint is effectively case-insensitive.';
COMMENT ON CONSTRAINT admin_users_role_check ON admin_users IS 'Allowed roles: superadmin, support.';
