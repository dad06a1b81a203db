using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Tests.Data;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrations_apply_to_an_empty_database_and_bring_the_kinds_of_unit()
    {
        var cs = await TestDatabase.CreateAsync(migrated: false);
        try
        {
            await using (var db = TestDatabase.NewContext(cs))
            {
                Assert.NotEmpty(await db.Database.GetPendingMigrationsAsync());
                await db.MigrateAsync();
                Assert.Empty(await db.Database.GetPendingMigrationsAsync());
                Assert.Contains(await db.OrgKinds.Select(k => k.Name).ToListAsync(), n => n == "Chi bộ trực thuộc");
            }
        }
        finally { await TestDatabase.DropAsync(cs); }
    }

    [Fact]
    public async Task Applying_migrations_again_changes_nothing()
    {
        var cs = await TestDatabase.CreateAsync();
        try
        {
            var before = await SchemaCatalog.DumpAsync(cs);
            var history = await TestDatabase.ScalarAsync<long>(cs, "SELECT count(*) FROM \"__EFMigrationsHistory\"");
            await using (var db = TestDatabase.NewContext(cs)) await db.MigrateAsync();
            Assert.Equal(before, await SchemaCatalog.DumpAsync(cs));
            Assert.Equal(history, await TestDatabase.ScalarAsync<long>(cs, "SELECT count(*) FROM \"__EFMigrationsHistory\""));
            Assert.Equal(8L, await TestDatabase.ScalarAsync<long>(cs, "SELECT count(*) FROM org_kinds"));
        }
        finally { await TestDatabase.DropAsync(cs); }
    }

    [Fact]
    public async Task Two_instances_migrating_the_same_empty_database_at_once_are_both_safe()
    {
        var cs = await TestDatabase.CreateAsync(migrated: false);
        try
        {
            async Task Migrate()
            {
                await using var db = TestDatabase.NewContext(cs);
                await db.MigrateAsync();
            }
            await Task.WhenAll(Task.Run(Migrate), Task.Run(Migrate));
            Assert.Equal(8L, await TestDatabase.ScalarAsync<long>(cs, "SELECT count(*) FROM org_kinds"));
            var applied = await TestDatabase.ScalarAsync<long>(cs, "SELECT count(*) FROM \"__EFMigrationsHistory\"");
            var distinct = await TestDatabase.ScalarAsync<long>(cs, "SELECT count(DISTINCT \"MigrationId\") FROM \"__EFMigrationsHistory\"");
            Assert.Equal(distinct, applied);
        }
        finally { await TestDatabase.DropAsync(cs); }
    }
}

public sealed class SchemaDriftTests
{
    [Fact]
    public async Task The_migrated_schema_matches_the_EF_model_exactly()
    {
        var migrated = await TestDatabase.CreateAsync();
        var created = await TestDatabase.CreateAsync(migrated: false);
        try
        {
            await using (var db = TestDatabase.NewContext(created)) await db.Database.EnsureCreatedAsync();
            var diff = SchemaCatalog.Diff(await SchemaCatalog.DumpAsync(migrated), await SchemaCatalog.DumpAsync(created));
            Assert.True(diff.Count == 0, "Schema drift (migrations vs model):\n" + string.Join("\n", diff));
        }
        finally
        {
            await TestDatabase.DropAsync(migrated);
            await TestDatabase.DropAsync(created);
        }
    }

    [Fact]
    public async Task The_drift_check_notices_a_column_the_model_does_not_have()
    {
        var migrated = await TestDatabase.CreateAsync();
        var created = await TestDatabase.CreateAsync(migrated: false);
        try
        {
            await using (var db = TestDatabase.NewContext(created)) await db.Database.EnsureCreatedAsync();
            await TestDatabase.ExecAsync("ALTER TABLE members ADD COLUMN nickname text; ALTER TABLE org_units ALTER COLUMN name TYPE varchar(100)", migrated);
            var diff = SchemaCatalog.Diff(await SchemaCatalog.DumpAsync(migrated), await SchemaCatalog.DumpAsync(created));
            Assert.Contains(diff, d => d.Contains("members.nickname"));
            Assert.Contains(diff, d => d.Contains("org_units.name"));
        }
        finally
        {
            await TestDatabase.DropAsync(migrated);
            await TestDatabase.DropAsync(created);
        }
    }
}

/// <summary>A comparable dump of a database's schema: columns, constraints, indexes (without the migrations history).</summary>
public static class SchemaCatalog
{
    public static async Task<List<string>> DumpAsync(string cs)
    {
        var rows = new List<string>();
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        async Task Read(string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) rows.Add(r.GetString(0));
        }
        await Read("""
            SELECT 'column ' || c.table_name || '.' || c.column_name || ' ' || c.data_type || coalesce('(' || c.character_maximum_length || ')', '')
                   || ' ' || c.is_nullable || ' default=' || coalesce(c.column_default, '') || ' identity=' || c.is_identity
            FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> '__EFMigrationsHistory'
            """);
        await Read("""
            SELECT 'constraint ' || rel.relname || '.' || con.conname || ' ' || pg_get_constraintdef(con.oid)
            FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace n ON n.oid = rel.relnamespace
            WHERE n.nspname = 'public' AND rel.relname <> '__EFMigrationsHistory'
            """);
        await Read("""
            SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'
            """);
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    public static List<string> Diff(List<string> migrated, List<string> model) =>
        migrated.Except(model).Select(r => "only in migrations: " + r)
            .Concat(model.Except(migrated).Select(r => "only in model:      " + r)).ToList();
}
