using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CoveringRosterIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_member_branch_periods_branch_id_valid_from",
                table: "member_branch_periods");

            migrationBuilder.DropIndex(
                name: "ix_member_branch_periods_member_id_valid_from",
                table: "member_branch_periods");

            migrationBuilder.CreateIndex(
                name: "ix_members_branch_id_status",
                table: "members",
                columns: new[] { "branch_id", "status" })
                .Annotation("Npgsql:IndexInclude", new[] { "id" });

            migrationBuilder.CreateIndex(
                name: "ix_member_branch_periods_branch_id_valid_from",
                table: "member_branch_periods",
                columns: new[] { "branch_id", "valid_from" })
                .Annotation("Npgsql:IndexInclude", new[] { "valid_to", "member_id" });

            migrationBuilder.CreateIndex(
                name: "ix_member_branch_periods_member_id_valid_from",
                table: "member_branch_periods",
                columns: new[] { "member_id", "valid_from" })
                .Annotation("Npgsql:IndexInclude", new[] { "valid_to", "branch_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_members_branch_id_status",
                table: "members");

            migrationBuilder.DropIndex(
                name: "ix_member_branch_periods_branch_id_valid_from",
                table: "member_branch_periods");

            migrationBuilder.DropIndex(
                name: "ix_member_branch_periods_member_id_valid_from",
                table: "member_branch_periods");

            migrationBuilder.CreateIndex(
                name: "ix_member_branch_periods_branch_id_valid_from",
                table: "member_branch_periods",
                columns: new[] { "branch_id", "valid_from" });

            migrationBuilder.CreateIndex(
                name: "ix_member_branch_periods_member_id_valid_from",
                table: "member_branch_periods",
                columns: new[] { "member_id", "valid_from" });
        }
    }
}
