using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Aggregates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agg_flush_queue",
                columns: table => new
                {
                    xid = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agg_flush_queue", x => x.xid);
                });

            migrationBuilder.CreateTable(
                name: "agg_member_rows",
                columns: table => new
                {
                    member_id = table.Column<int>(type: "integer", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    from_day = table.Column<DateOnly>(type: "date", nullable: false),
                    to_day = table.Column<DateOnly>(type: "date", nullable: false),
                    kind = table.Column<short>(type: "smallint", nullable: false),
                    key = table.Column<int>(type: "integer", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    n = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agg_member_rows", x => new { x.member_id, x.year, x.unit_id, x.from_day, x.to_day, x.kind, x.key, x.day });
                });

            migrationBuilder.CreateTable(
                name: "agg_pending_items",
                columns: table => new
                {
                    xid = table.Column<long>(type: "bigint", nullable: false),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    item = table.Column<short>(type: "smallint", nullable: false),
                    k1 = table.Column<int>(type: "integer", nullable: false),
                    k2 = table.Column<int>(type: "integer", nullable: false),
                    n = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agg_pending_items", x => new { x.xid, x.year, x.unit_id, x.item, x.k1, x.k2 });
                });

            migrationBuilder.CreateTable(
                name: "agg_pending_members",
                columns: table => new
                {
                    xid = table.Column<long>(type: "bigint", nullable: false),
                    member_id = table.Column<int>(type: "integer", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agg_pending_members", x => new { x.xid, x.member_id, x.year });
                });

            migrationBuilder.CreateTable(
                name: "agg_unit_figures",
                columns: table => new
                {
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    from_day = table.Column<DateOnly>(type: "date", nullable: false),
                    to_day = table.Column<DateOnly>(type: "date", nullable: false),
                    kind = table.Column<short>(type: "smallint", nullable: false),
                    key = table.Column<int>(type: "integer", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    n = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agg_unit_figures", x => new { x.year, x.unit_id, x.from_day, x.to_day, x.kind, x.key, x.day });
                });

            migrationBuilder.CreateTable(
                name: "agg_unit_items",
                columns: table => new
                {
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    item = table.Column<short>(type: "smallint", nullable: false),
                    k1 = table.Column<int>(type: "integer", nullable: false),
                    k2 = table.Column<int>(type: "integer", nullable: false),
                    n = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agg_unit_items", x => new { x.year, x.unit_id, x.item, x.k1, x.k2 });
                });

            migrationBuilder.CreateTable(
                name: "agg_years",
                columns: table => new
                {
                    year = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agg_years", x => x.year);
                });

            // Functions, triggers and the first count (docs/adr/0018-incremental-aggregates.md) are installed by the
            // latest migration that adds aggregate tables (AttendanceAggregates): the installer is generated from the
            // current code and needs every table it counts into. A database that ran this migration before keeps its
            // functions until then. A later change of the counting rules is applied by AggregateSql.EnsureCurrentAsync.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(AggregateSql.Uninstall);

            migrationBuilder.DropTable(
                name: "agg_flush_queue");

            migrationBuilder.DropTable(
                name: "agg_member_rows");

            migrationBuilder.DropTable(
                name: "agg_pending_items");

            migrationBuilder.DropTable(
                name: "agg_pending_members");

            migrationBuilder.DropTable(
                name: "agg_unit_figures");

            migrationBuilder.DropTable(
                name: "agg_unit_items");

            migrationBuilder.DropTable(
                name: "agg_years");
        }
    }
}
