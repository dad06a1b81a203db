using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <summary>
    /// The audit trail is append-only for every role but the table's owner (ADR 0031): the site's role (hlb_site) inserts and
    /// reads audit rows but can no longer change or delete them, whatever the deployment scripts grant it on all tables. A
    /// trigger rather than REVOKE, so the rule has one home here: scripts/lib/embedded.sh and scripts/cluster.sh grant
    /// UPDATE and DELETE on every table, again at each start. The owner (migrations, restore) is not held back.
    /// </summary>
    public partial class AuditEntriesAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
                    RAISE EXCEPTION 'Nhật ký thay đổi chỉ được ghi thêm, không được sửa hay xóa (audit_entries: %).', TG_OP
                      USING ERRCODE = 'insufficient_privilege';
                  END IF;
                  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
                END $$;
                CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
                  FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
                CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
                  FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER audit_entries_no_truncate ON audit_entries;
                DROP TRIGGER audit_entries_append_only ON audit_entries;
                DROP FUNCTION audit_entries_append_only();
                """);
        }
    }
}
