using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class RollupOpenYearBounds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_agg_unit_figures_from_day",
                table: "agg_unit_figures",
                columns: new[] { "year", "from_day", "unit_id" },
                filter: "from_day <> '-infinity'::date");

            migrationBuilder.CreateIndex(
                name: "ix_agg_unit_figures_to_day",
                table: "agg_unit_figures",
                columns: new[] { "year", "to_day", "unit_id" },
                filter: "to_day <> 'infinity'::date");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_agg_unit_figures_from_day",
                table: "agg_unit_figures");

            migrationBuilder.DropIndex(
                name: "ix_agg_unit_figures_to_day",
                table: "agg_unit_figures");
        }
    }
}
