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
    public async Task The_model_has_no_changes_without_a_migration()
    {
        var cs = await TestDatabase.CreateAsync();
        try
        {
            await using var db = TestDatabase.NewContext(cs);
            Assert.False(db.Database.HasPendingModelChanges(), "The model changed: add a migration with `dotnet ef migrations add`.");
        }
        finally { await TestDatabase.DropAsync(cs); }
    }

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

public sealed class LegacyUpgradeTests
{
    /// <summary>Builds a database the way releases before November 2026 did: the four SQL files and their history rows.</summary>
    private static async Task<string> CreateLegacyDatabaseAsync()
    {
        var cs = await TestDatabase.CreateAsync(migrated: false);
        var asm = typeof(LegacyUpgradeTests).Assembly;
        await TestDatabase.ExecAsync("""
            CREATE TABLE "__EFMigrationsHistory" ("MigrationId" character varying(150) NOT NULL, "ProductVersion" character varying(32) NOT NULL,
                CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY ("MigrationId"))
            """, cs);
        foreach (var id in DatabaseMigrator.LegacyMigrations)
        {
            await using var s = asm.GetManifestResourceStream($"LegacySchema.{id}.sql")!;
            var sql = await new StreamReader(s).ReadToEndAsync();
            await TestDatabase.ExecAsync(sql + $"\nINSERT INTO \"__EFMigrationsHistory\" VALUES ('{id}', '10.0.0');", cs);
        }
        return cs;
    }

    [Fact]
    public async Task A_database_built_by_the_old_SQL_migrations_is_carried_over_with_every_row()
    {
        var legacy = await CreateLegacyDatabaseAsync();
        var fresh = await TestDatabase.CreateAsync();
        try
        {
            await TestDatabase.ExecAsync("""
                INSERT INTO org_units (code, name, kind_id, path, founded_year) VALUES ('TQ', 'Tỉnh ủy Tuyên Quang', 1, 'u1', 2000);
                INSERT INTO members (full_name, branch_id, status, card_number) SELECT 'Nguyễn Văn Bình', id, 0, '08099003' FROM org_units;
                INSERT INTO pledges (member_id, branch_id, year, content, status)
                    SELECT m.id, m.branch_id, 2025, 'Giải quyết hồ sơ đúng hạn', 5 FROM members m;
                INSERT INTO audit_entries (at, actor, action, entity_type, entity_id) VALUES (now(), 'hệ thống', 'create', 'OrgUnit', '1');
                """, legacy);
            const string counts = "SELECT format('%s units, %s members, %s pledges, %s audit rows', (SELECT count(*) FROM org_units), (SELECT count(*) FROM members), (SELECT count(*) FROM pledges), (SELECT count(*) FROM audit_entries))";
            var before = await TestDatabase.ScalarAsync<string>(legacy, counts);

            await using (var db = TestDatabase.NewContext(legacy))
            {
                Assert.Contains(db.Database.GetMigrations().First(), await db.Database.GetPendingMigrationsAsync());
                await db.MigrateAsync();
                Assert.Empty(await db.Database.GetPendingMigrationsAsync());
                Assert.Equal("Nguyễn Văn Bình", await db.Members.Select(m => m.FullName).SingleAsync());
            }
            Assert.Equal("1 units, 1 members, 1 pledges, 1 audit rows", before);
            Assert.Equal(before, await TestDatabase.ScalarAsync<string>(legacy, counts));
            Assert.Equal(8L, await TestDatabase.ScalarAsync<long>(legacy, "SELECT count(*) FROM org_kinds"));
            var diff = SchemaCatalog.Diff(await SchemaCatalog.DumpAsync(legacy), await SchemaCatalog.DumpAsync(fresh));
            Assert.True(diff.Count == 0, "Upgraded legacy schema differs from a fresh one:\n" + string.Join("\n", diff));
        }
        finally
        {
            await TestDatabase.DropAsync(legacy);
            await TestDatabase.DropAsync(fresh);
        }
    }

    [Fact]
    public async Task A_database_stopped_part_way_through_the_old_migrations_is_refused_with_a_message()
    {
        var legacy = await CreateLegacyDatabaseAsync();
        try
        {
            await TestDatabase.ExecAsync("DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = '0009_RollupIndexes'", legacy);
            await using var db = TestDatabase.NewContext(legacy);
            var ex = await Assert.ThrowsAsync<HocLamTheoBac.Web.Data.StartupException>(() => db.MigrateAsync());
            Assert.Contains("0009_RollupIndexes", ex.Message);
        }
        finally { await TestDatabase.DropAsync(legacy); }
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
            WHERE n.nspname = 'public' AND rel.relname <> '__EFMigrationsHistory' AND con.contype <> 't' -- constraint triggers are raw-SQL behaviour (the aggregates), not model
            """);
        await Read("""
            SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'
              AND indexname NOT LIKE '%\_fold'
            """);
        // Expression indexes for accent-insensitive search (migration VietnameseSearch) are raw SQL: EF cannot model them.
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    public static List<string> Diff(List<string> migrated, List<string> model) =>
        migrated.Except(model).Select(r => "only in migrations: " + r)
            .Concat(model.Except(migrated).Select(r => "only in model:      " + r)).ToList();
}
