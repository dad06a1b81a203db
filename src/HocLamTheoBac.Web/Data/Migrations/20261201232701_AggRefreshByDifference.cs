using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <summary>
    /// <c>agg_refresh</c> by difference (issue 16, session 14; docs/performance.md): a few members' changes write only the
    /// member and unit rows that differ instead of deleting and inserting each member's whole contribution. What is counted
    /// is unchanged, so a database whose functions are session 13's (fingerprint <see cref="Before"/>) gets the new
    /// functions without the recount <see cref="AggregateSql.EnsureCurrentAsync"/> would do (about 30 s for a
    /// 320.000-member province, the aggregates locked meanwhile). Any other database is left to that check: a new
    /// database already has the current functions (<c>AggUnitTotals</c> installs them), and one installed from other rules
    /// is recounted. When the code's functions change again (the fingerprint is no longer <see cref="Written"/>), this
    /// migration does nothing and the check reinstalls and recounts, as for any change of the rules.
    /// </summary>
    public partial class AggRefreshByDifference : Migration
    {
        /// <summary>The fingerprint of the functions before this change (main 5349810).</summary>
        private const string Before = "db7b644bee672713";

        /// <summary>The fingerprint of the functions this migration installs.</summary>
        private const string Written = "f5754e0658b1deac";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            if (AggregateSql.Fingerprint != Written) return;
            // generated from constants, no user input
            migrationBuilder.Sql(AggregateSql.InstallKeepingCountsOver(Before));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing: the earlier code's check (AggregateSql.EnsureCurrentAsync) finds another fingerprint and reinstalls
            // its own functions, recounting.
        }
    }
}
