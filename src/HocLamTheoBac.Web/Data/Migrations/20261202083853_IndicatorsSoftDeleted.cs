using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class IndicatorsSoftDeleted : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_indicator_values_org_unit_id_year_name",
                table: "indicator_values");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "deleted_at",
                table: "indicator_values",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_indicator_values_org_unit_id_year_name",
                table: "indicator_values",
                columns: new[] { "org_unit_id", "year", "name" },
                unique: true,
                filter: "deleted_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_indicator_values_org_unit_id_year_name",
                table: "indicator_values");

            migrationBuilder.DropColumn(
                name: "deleted_at",
                table: "indicator_values");

            migrationBuilder.CreateIndex(
                name: "ix_indicator_values_org_unit_id_year_name",
                table: "indicator_values",
                columns: new[] { "org_unit_id", "year", "name" },
                unique: true);
        }
    }
}
