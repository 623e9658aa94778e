-- rollback: 001
-- description: Drop the public schema tables: admin_users, tenants, plans
-- destroys: every platform admin account, the whole tenant registry (tenant names, plans
-- assigned, statuses; the tenant schemas themselves are not dropped) and the plan catalogue.
--
-- Run after every tenant schema has been rolled back (tenant rollbacks run first).

DROP TABLE admin_users;
DROP TABLE tenants;
DROP TABLE plans;
DROP FUNCTION set_updated_at();
