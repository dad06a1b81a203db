using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class VietnameseSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Accent- and case-insensitive search (ADR 0017): unaccent behind an IMMUTABLE wrapper so it
            // can be indexed, trigram indexes for ILIKE '%…%', and the given name for sorting with "vi-x-icu".
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS unaccent;
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE OR REPLACE FUNCTION public.hlb_fold(text) RETURNS text
                    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
                    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
                CREATE OR REPLACE FUNCTION public.hlb_given_name(text) RETURNS text
                    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
                    AS $$ SELECT regexp_replace(btrim($1), '^.*\s', '') $$;
                CREATE INDEX IF NOT EXISTS ix_members_full_name_fold ON members USING gin (public.hlb_fold(full_name) gin_trgm_ops);
                CREATE INDEX IF NOT EXISTS ix_org_units_name_fold ON org_units USING gin (public.hlb_fold(name) gin_trgm_ops);
                """);


        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS ix_members_full_name_fold;
                DROP INDEX IF EXISTS ix_org_units_name_fold;
                DROP FUNCTION IF EXISTS public.hlb_given_name(text);
                DROP FUNCTION IF EXISTS public.hlb_fold(text);
                """);


        }
    }
}
