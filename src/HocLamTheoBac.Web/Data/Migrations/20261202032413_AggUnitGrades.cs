using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <summary>
    /// Members' grades kept per branch, year and level (issue 16, session 15; docs/performance.md): the table, counted
    /// from <c>member_grades</c> here, then kept by the statement trigger of <see cref="AggregateSql"/>. A database whose
    /// functions are session 14's (fingerprint <see cref="Before"/>) gets the new functions without recounting the other
    /// aggregates (they count the same; about 30 s for a 320.000-member province otherwise); any other database is left to
    /// <see cref="AggregateSql.EnsureCurrentAsync"/>, whose recount (<c>agg_rebuild()</c>) counts the grades too.
    /// </summary>
    public partial class AggUnitGrades : Migration
    {
        /// <summary>The fingerprint of the functions before this change (main 48e6ddd).</summary>
        private const string Before = "f5754e0658b1deac";

        /// <summary>The fingerprint of the functions this migration installs.</summary>
        private const string Written = "484c5c4728902695";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agg_unit_grades",
                columns: table => new
                {
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    level = table.Column<int>(type: "integer", nullable: false),
                    n = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agg_unit_grades", x => new { x.year, x.unit_id, x.level });
                });
            if (AggregateSql.Fingerprint == Written)
            {
                // generated from constants, no user input
                migrationBuilder.Sql(AggregateSql.InstallKeepingCountsOver(Before));
            }
            migrationBuilder.Sql("""
                INSERT INTO agg_unit_grades (year, unit_id, level, n)
                    SELECT g.year, g.branch_id, g.level, count(*) FROM member_grades g WHERE g.deleted_at IS NULL GROUP BY 1, 2, 3;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The earlier code's check (AggregateSql.EnsureCurrentAsync) finds another fingerprint and reinstalls its own
            // functions, recounting; until then the grades' trigger finds no table and does nothing.
            migrationBuilder.DropTable(
                name: "agg_unit_grades");
        }
    }
}
