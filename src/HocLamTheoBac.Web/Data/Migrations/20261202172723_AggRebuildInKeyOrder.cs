using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <summary>
    /// <c>agg_rebuild()</c> without the bulk path of <c>agg_refresh</c> (issue 16, LOAD20; docs/performance.md): on the
    /// aggregate tables it has just emptied it inserts the members' rows in key order and sums the unit and year-end rows
    /// from them in plain inserts, instead of an upsert fed from an array of every member row. The same rows are counted
    /// (only the rebuild's way changes), so a database whose functions are session 19's (fingerprint <see cref="Before"/>)
    /// gets the new functions without the recount <see cref="AggregateSql.EnsureCurrentAsync"/> would do; any other
    /// database is left to that check, as for any change of the rules.
    /// </summary>
    public partial class AggRebuildInKeyOrder : Migration
    {
        /// <summary>The fingerprint of the functions before this change (main e987ba5).</summary>
        private const string Before = "484c5c4728902695";

        /// <summary>The fingerprint of the functions this migration installs.</summary>
        private const string Written = "2176cc8f59625a9d";

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
