using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class AggUnitTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agg_unit_totals",
                columns: table => new
                {
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    n = table.Column<int[]>(type: "integer[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agg_unit_totals", x => new { x.year, x.unit_id });
                });

            // Per-unit totals of the unit records (docs/adr/0018-incremental-aggregates.md, "Per-unit totals"): the
            // functions and triggers are replaced by the current ones, which keep the new table too, and every aggregate
            // counted again. The latest migration that adds an aggregate table installs them (RollupYearEnd no longer does).
            migrationBuilder.Sql(AggregateSql.Uninstall + "\n" + AggregateSql.Install);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The previous functions are not kept anywhere: going back leaves the aggregates without triggers.
            migrationBuilder.Sql(AggregateSql.Uninstall);

            migrationBuilder.DropTable(
                name: "agg_unit_totals");
        }
    }
}
