using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <summary>
    /// The attack walk of session 13: the append-only and frozen-report triggers (ADR 0031) looked the table's owner up in
    /// <c>pg_class</c> by its bare name, resolved on the caller's search path, where the session's temporary schema comes
    /// before <c>pg_catalog</c>: the site's role (which may create temporary tables, for the member import) made a
    /// temporary table named <c>pg_class</c> naming itself the owner, and changed and deleted audit rows and an issued report.
    /// Both functions now run with <c>search_path = pg_catalog, pg_temp</c> (the temporary schema searched last), name every
    /// catalog object with its schema, and refuse when the owner cannot be found.
    /// </summary>
    public partial class TriggerFunctionsSearchPath : Migration
    {
        private const string OwnerCheck =
            "COALESCE(pg_catalog.pg_has_role(current_user, (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID), 'USAGE'), false)";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                CREATE OR REPLACE FUNCTION public.audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql
                SET search_path = pg_catalog, pg_temp AS $$
                BEGIN
                  IF NOT {OwnerCheck} THEN
                    RAISE EXCEPTION 'Nhật ký thay đổi chỉ được ghi thêm, không được sửa hay xóa (audit_entries: %).', TG_OP
                      USING ERRCODE = 'insufficient_privilege';
                  END IF;
                  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
                END $$;
                CREATE OR REPLACE FUNCTION public.reports_issued_frozen() RETURNS trigger LANGUAGE plpgsql
                SET search_path = pg_catalog, pg_temp AS $$
                BEGIN
                  IF OLD.status = 2 AND NOT {OwnerCheck} THEN
                    RAISE EXCEPTION 'Báo cáo số % đã ban hành không được sửa hay xóa.', OLD.number
                      USING ERRCODE = 'insufficient_privilege';
                  END IF;
                  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER FUNCTION public.audit_entries_append_only() RESET search_path;
                ALTER FUNCTION public.reports_issued_frozen() RESET search_path;
                """);
        }
    }
}
