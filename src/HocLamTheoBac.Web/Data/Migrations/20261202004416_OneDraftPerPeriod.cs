using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <summary>
    /// One live draft a unit and period (the attack walk of session 14: saves sent at the same instant made two drafts; the
    /// page showed the newer, the older came back after the newer was issued and was issued beside it). A period that has
    /// more than one draft today keeps the newest, the one every page showed; the others are soft-deleted first.
    /// </summary>
    public partial class OneDraftPerPeriod : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE reports r SET deleted_at = now()
                WHERE r.status = 1 AND r.deleted_at IS NULL
                  AND EXISTS (SELECT 1 FROM reports n WHERE n.status = 1 AND n.deleted_at IS NULL AND n.org_unit_id = r.org_unit_id
                              AND n.year = r.year AND n.first_year IS NOT DISTINCT FROM r.first_year AND n.id > r.id);
                """);
            migrationBuilder.CreateIndex(
                name: "ux_reports_one_draft",
                table: "reports",
                columns: new[] { "org_unit_id", "year", "first_year" },
                unique: true,
                filter: "status = 1 AND deleted_at IS NULL")
                .Annotation("Npgsql:NullsDistinct", false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_reports_one_draft",
                table: "reports");
        }
    }
}
