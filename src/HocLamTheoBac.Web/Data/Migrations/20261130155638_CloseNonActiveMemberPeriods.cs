using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CloseNonActiveMemberPeriods : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Members created as transferred out, deceased or expelled were given an open branch period and so were
            // counted as members. An open period of a member who is not active is always that mistake (leaving closes
            // the period): it ends where it began, so the member never stood in the branch. The aggregates follow
            // through their triggers in this same transaction.
            migrationBuilder.Sql("""
                UPDATE member_branch_periods p SET valid_to = p.valid_from
                FROM members m
                WHERE m.id = p.member_id AND m.status <> 1 AND p.valid_to IS NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
