-- Primary Assistant: what an operator runs once on a fresh PostgreSQL server.
--
--   psql -U postgres -v owner_password="'...'" -v app_password="'...'" -f scripts/init_db.sql
--
-- Then, as the owner:  MIGRATION_DATABASE_URL=postgresql://fitbot_owner:...@host/fitbot alembic upgrade head
-- and run the bot with: DATABASE_URL=postgresql://fitbot_app:...@host/fitbot
--
-- Roles (the embedded database creates the same ones, see fitness_core/db.py):
--   fitbot_owner   owns the schema and runs migrations
--   fitbot_app     what the bot connects as; never a superuser, never BYPASSRLS,
--                  so row-level security applies to every query it makes
--   fitbot_system  NOLOGIN, BYPASSRLS: the bot (a NOINHERIT member, so it holds none
--                  of these rights by default) switches to it with SET LOCAL ROLE
--                  for one transaction of system work (reminder scans, admin CLI,
--                  sign-in lookups), so the switch never outlives that transaction
-- No extensions are needed: the schema uses only built-in types (enums, arrays,
-- JSONB, UUID from the application).

\set ON_ERROR_STOP on

SELECT 'CREATE ROLE fitbot_owner LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fitbot_owner') \gexec
SELECT 'CREATE ROLE fitbot_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOINHERIT'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fitbot_app') \gexec
SELECT 'CREATE ROLE fitbot_system NOLOGIN NOSUPERUSER BYPASSRLS'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fitbot_system') \gexec

ALTER ROLE fitbot_owner PASSWORD :owner_password;
ALTER ROLE fitbot_app NOINHERIT PASSWORD :app_password;  -- system rights only by SET ROLE
GRANT fitbot_system TO fitbot_app;

SELECT 'CREATE DATABASE fitbot OWNER fitbot_owner ENCODING ''UTF8'''
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'fitbot') \gexec

\connect fitbot

REVOKE ALL ON DATABASE fitbot FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE fitbot TO fitbot_app, fitbot_owner;
GRANT USAGE ON SCHEMA public TO fitbot_app, fitbot_system;
ALTER DEFAULT PRIVILEGES FOR ROLE fitbot_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO fitbot_app, fitbot_system;
ALTER DEFAULT PRIVILEGES FOR ROLE fitbot_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO fitbot_app, fitbot_system;
ALTER DEFAULT PRIVILEGES FOR ROLE fitbot_owner IN SCHEMA public
    GRANT EXECUTE ON FUNCTIONS TO fitbot_app, fitbot_system;
