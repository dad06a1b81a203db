using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class RollupYearEnd : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agg_unit_yearend",
                columns: table => new
                {
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<short>(type: "smallint", nullable: false),
                    key = table.Column<int>(type: "integer", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    n = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agg_unit_yearend", x => new { x.year, x.unit_id, x.kind, x.key, x.day });
                });

            // Year-end rows for the roll-up of past years (docs/adr/0018-incremental-aggregates.md). The functions and
            // triggers were installed here until migration AggUnitTotals, which now installs the current ones (generated
            // from the current code, they need its table): removed here, installed and counted there.
            migrationBuilder.Sql(AggregateSql.Uninstall);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The previous functions are not kept anywhere: going back leaves the aggregates without triggers.
            migrationBuilder.Sql(AggregateSql.Uninstall);

            migrationBuilder.DropTable(
                name: "agg_unit_yearend");
        }
    }
}
