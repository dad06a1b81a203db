using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class RollupChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "rollup_changes",
                columns: table => new
                {
                    xid = table.Column<ulong>(type: "xid8", nullable: false, defaultValueSql: "pg_current_xact_id()"),
                    year = table.Column<int>(type: "integer", nullable: false),
                    unit_id = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rollup_changes", x => new { x.xid, x.year, x.unit_id });
                });

            migrationBuilder.CreateTable(
                name: "rollup_changes_pruned",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    w = table.Column<ulong>(type: "xid8", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rollup_changes_pruned", x => x.id);
                });

            // The triggers that write the change log the dashboard's kept roll-up reads
            // (docs/adr/0027-dashboard-rollup-kept-in-the-site.md). Not part of the aggregates' generated install: a
            // reinstall of those keeps them.
            migrationBuilder.Sql(RollupChangesSql.Install);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(RollupChangesSql.Uninstall);

            migrationBuilder.DropTable(
                name: "rollup_changes");

            migrationBuilder.DropTable(
                name: "rollup_changes_pruned");
        }
    }
}
