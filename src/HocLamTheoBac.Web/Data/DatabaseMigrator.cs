using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace HocLamTheoBac.Web.Data;

public static class DatabaseMigrator
{
    private const long LockKey = 0x484C42_4D4947; // "HLB MIG"

    /// <summary>
    /// The last of the hand-written SQL migrations that databases created before November 2026 carry
    /// (docs/adr/0010). Such a database has exactly the schema of the Baseline migration.
    /// </summary>
    internal const string LegacyFinalMigration = "0009_RollupIndexes";
    internal static readonly string[] LegacyMigrations = ["0001_Initial", "0002_YearlyCycle", "0007_DataProtectionKeys", LegacyFinalMigration];

    /// <summary>
    /// Applies pending migrations under a session-level advisory lock, so instances starting together
    /// apply each migration once (EF's own lock is per migration; a second instance could re-run the next one).
    /// A database built by the old SQL migrations is first recognised as being at the baseline.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(this AppDbContext db, CancellationToken ct = default)
    {
        await db.Database.OpenConnectionAsync(ct);
        // A migration that installs the aggregates recounts them (AggregateSql.Install: about a minute for a province
        // of 320.000 members): no command timeout while migrating, as EnsureCurrentAsync's recount has none.
        var timeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout(0);
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({LockKey})", ct);
            try
            {
                var history = db.GetService<IHistoryRepository>();
                // On an empty database EF would log a failed query of the missing history table as an error.
                var hasHistory = await db.Database.SqlQueryRaw<bool>("SELECT to_regclass('\"__EFMigrationsHistory\"') IS NOT NULL AS \"Value\"").SingleAsync(ct);
                if (!hasHistory)
                    await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), ct);
                else
                    await AdoptLegacyDatabaseAsync(db, history, ct);
                var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
                if (pending.Count > 0) await db.Database.MigrateAsync(ct);
                // The aggregates' SQL is generated from the counting rules: reinstall and recount if they changed.
                await AggregateSql.EnsureCurrentAsync(db, ct);
                return pending;
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
            }
        }
        finally
        {
            db.Database.SetCommandTimeout(timeout);
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task AdoptLegacyDatabaseAsync(AppDbContext db, IHistoryRepository history, CancellationToken ct)
    {
        var applied = (await history.GetAppliedMigrationsAsync(ct)).Select(r => r.MigrationId).ToHashSet(StringComparer.Ordinal);
        if (!applied.Overlaps(LegacyMigrations)) return;
        var baseline = db.Database.GetMigrations().First();
        if (applied.Contains(baseline)) return;
        if (!applied.Contains(LegacyFinalMigration))
            throw new StartupException(
                "Cơ sở dữ liệu đang ở một phiên bản cũ chưa cập nhật hết (thiếu " + LegacyFinalMigration +
                "). Hãy chạy 'hlb migrate' bằng phiên bản phát hành trước tháng 11/2026 rồi nâng cấp lên phiên bản này.");
        // The old rows stay in the history table as the record of how this database was built.
        await db.Database.ExecuteSqlRawAsync(
            history.GetInsertScript(new HistoryRow(baseline, ProductInfo.GetVersion())).Replace("{", "{{").Replace("}", "}}"), ct);
    }
}
