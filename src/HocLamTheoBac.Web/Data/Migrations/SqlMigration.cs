using Microsoft.EntityFrameworkCore.Migrations;

namespace HocLamTheoBac.Web.Data.Migrations;

/// <summary>
/// A migration whose body is the reviewable SQL file of the same id, embedded in the assembly
/// (docs/adr/0001). EF's migrator runs it inside its transaction and migration lock.
/// </summary>
public abstract class SqlMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var id = GetType().GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute), false)
            .Cast<Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute>().Single().Id;
        migrationBuilder.Sql(Read(id));
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        throw new NotSupportedException("Migrations are forward-only: restore a backup to go back.");

    internal static string Read(string id)
    {
        var asm = typeof(SqlMigration).Assembly;
        var name = asm.GetManifestResourceNames().Single(n => n.EndsWith($".{id}.sql", StringComparison.Ordinal));
        using var s = asm.GetManifestResourceStream(name)!;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
