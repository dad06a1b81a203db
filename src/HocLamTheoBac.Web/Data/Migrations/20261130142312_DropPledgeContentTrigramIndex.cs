using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HocLamTheoBac.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DropPledgeContentTrigramIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_pledges_content_trgm",
                table: "pledges");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_pledges_content_trgm",
                table: "pledges",
                column: "content")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }
    }
}
