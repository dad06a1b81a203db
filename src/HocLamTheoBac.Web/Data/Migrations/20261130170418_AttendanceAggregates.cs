using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class AttendanceAggregates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agg_pending_sessions",
                columns: table => new
                {
                    xid = table.Column<long>(type: "bigint", nullable: false),
                    session_id = table.Column<int>(type: "integer", nullable: false),
                    branch_id = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agg_pending_sessions", x => new { x.xid, x.session_id, x.branch_id });
                });

            migrationBuilder.CreateTable(
                name: "agg_session_rows",
                columns: table => new
                {
                    session_id = table.Column<int>(type: "integer", nullable: false),
                    branch_id = table.Column<int>(type: "integer", nullable: false),
                    mark = table.Column<int>(type: "integer", nullable: false),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    n = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agg_session_rows", x => new { x.session_id, x.branch_id, x.mark });
                });

            // Attendance kept as an aggregate (docs/adr/0018-incremental-aggregates.md). The functions and triggers, and
            // the first count, are installed by the latest migration that adds aggregate tables (RollupYearEnd): the
            // installer is generated from the current code and needs every table it counts into.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The previous functions are not kept anywhere: going back leaves the aggregates without triggers.
            migrationBuilder.Sql(AggregateSql.Uninstall);

            migrationBuilder.DropTable(
                name: "agg_pending_sessions");

            migrationBuilder.DropTable(
                name: "agg_session_rows");
        }
    }
}
