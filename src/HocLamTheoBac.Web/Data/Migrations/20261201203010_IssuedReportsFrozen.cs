using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <summary>
    /// An issued report is frozen in the schema too (ADR 0031): a row of <c>reports</c> whose status is Issued (2) cannot be
    /// changed or deleted by any role but the table's owner. The site never changes one (a correction is a new draft that
    /// replaces it: <c>YearEndReports.CorrectAsync</c>); a draft is edited and issued as before.
    /// </summary>
    public partial class IssuedReportsFrozen : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION reports_issued_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF OLD.status = 2 AND NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
                    RAISE EXCEPTION 'Báo cáo số % đã ban hành không được sửa hay xóa.', OLD.number
                      USING ERRCODE = 'insufficient_privilege';
                  END IF;
                  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
                END $$;
                CREATE TRIGGER reports_issued_frozen BEFORE UPDATE OR DELETE ON reports
                  FOR EACH ROW EXECUTE FUNCTION reports_issued_frozen();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER reports_issued_frozen ON reports;
                DROP FUNCTION reports_issued_frozen();
                """);
        }
    }
}
