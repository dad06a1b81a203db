using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <summary>
    /// The kept grade counts (<c>agg_unit_grades</c>) noted in the dashboard's change log like the other per-unit figures
    /// (<see cref="RollupChangesSql.InstallGrades"/>; issue 16, session 16): the kept roll-up counts the grades as one more
    /// figure of each unit, read again only for the branches whose grades changed. No rows to write: a kept roll-up of a
    /// site that ran before this migration is the site's memory, and a migration beside a running site is followed by a
    /// restart of the new code (the old code counted the grades apart from the kept roll-up).
    /// </summary>
    public partial class KeptGradesInRollupChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // generated from constants, no user input
            migrationBuilder.Sql(RollupChangesSql.InstallGrades);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(RollupChangesSql.UninstallGrades);
        }
    }
}
