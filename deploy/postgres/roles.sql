-- The two roles of docs/security.md ("Cơ sở dữ liệu nhúng và khóa") for a DBA's own server.
-- Run once as a superuser, with psql variables owner_password and site_password:
--   psql -v owner_password=… -v site_password=… -v db=hoclamtheobac -f deploy/postgres/roles.sql
-- hlb_owner owns the database and its schema (migrations, hlb backup/restore);
-- hlb_site is what the site uses at run time: rows only, no superuser, no CREATE, owns nothing.
\set ON_ERROR_STOP on
SET password_encryption = 'scram-sha-256';
SELECT 'CREATE ROLE hlb_owner' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hlb_owner') \gexec
SELECT 'CREATE ROLE hlb_site' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hlb_site') \gexec
ALTER ROLE hlb_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'owner_password';
ALTER ROLE hlb_site WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD :'site_password';
SELECT format('CREATE DATABASE %I OWNER hlb_owner', :'db') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SELECT format('ALTER DATABASE %I OWNER TO hlb_owner', :'db') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO hlb_site', :'db') \gexec
\connect :db
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE hlb_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hlb_site;
ALTER DEFAULT PRIVILEGES FOR ROLE hlb_owner IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO hlb_site;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO hlb_site;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO hlb_site;
