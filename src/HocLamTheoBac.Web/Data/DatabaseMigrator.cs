using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

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

    /// <summary>How a migration waits for the locks of tables a running site reads (ADR 0030).</summary>
    /// <param name="LockWait">How long one statement waits for a table's lock before the attempt gives up
    /// (PostgreSQL's <c>lock_timeout</c>): while a schema change waits, every request that reads the table queues behind it.</param>
    /// <param name="Pause">The pause before the next attempt (the queued requests run meanwhile).</param>
    /// <param name="GiveUpAfter">After this long without getting the locks, the migration stops with a message.</param>
    public sealed record LockPolicy(TimeSpan LockWait, TimeSpan Pause, TimeSpan GiveUpAfter)
    {
        public static readonly LockPolicy Default = new(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(10));
    }

    /// <summary>
    /// Applies pending migrations under a session-level advisory lock, so instances starting together
    /// apply each migration once (EF's own lock is per migration; a second instance could re-run the next one).
    /// A database built by the old SQL migrations is first recognised as being at the baseline.
    /// A statement that cannot get a table's lock within <see cref="LockPolicy.LockWait"/> (a long report query of the
    /// running site holds it) rolls the attempt back, and the migrations are tried again after a pause, so the site's
    /// requests never queue behind a waiting schema change for more than a few seconds (ADR 0030);
    /// <paramref name="notify"/> hears of each retry.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(this AppDbContext db, CancellationToken ct = default, LockPolicy? locks = null, Action<string>? notify = null)
    {
        locks ??= LockPolicy.Default;
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
                var lockWait = ((long)locks.LockWait.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await db.Database.ExecuteSqlAsync($"SELECT set_config('lock_timeout', {lockWait}, false)", ct);
                var waited = Stopwatch.StartNew();
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        // EF applies the pending migrations in one transaction: an attempt that gave up left nothing behind.
                        if ((await db.Database.GetPendingMigrationsAsync(ct)).Any()) await db.Database.MigrateAsync(ct);
                        // The aggregates' SQL is generated from the counting rules: reinstall and recount if they changed.
                        if (await AggregateSql.EnsureCurrentAsync(db, ct))
                            notify?.Invoke("Đã cài lại và đếm lại số liệu tổng hợp: quy tắc đếm đã thay đổi từ lần cập nhật trước.");
                        return pending;
                    }
                    catch (Exception ex) when (IsLockTimeout(ex))
                    {
                        if (waited.Elapsed >= locks.GiveUpAfter)
                            throw new StartupException(
                                $"Không cập nhật được cơ sở dữ liệu: sau {Math.Round(waited.Elapsed.TotalMinutes, 1)} phút, một bảng vẫn đang được truy vấn khác giữ. " +
                                "Không có migration nào bị áp dụng dở dang. Hãy chạy lại 'hlb migrate' lúc ít người dùng.");
                        notify?.Invoke($"Cập nhật cơ sở dữ liệu: một bảng đang được truy vấn khác giữ quá {locks.LockWait.TotalSeconds:0.#} giây; " +
                                       $"đã hủy lần thử {attempt}, thử lại sau {locks.Pause.TotalSeconds:0.#} giây.");
                        await Task.Delay(locks.Pause, ct);
                    }
                }
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync("RESET lock_timeout", CancellationToken.None);
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
            }
        }
        finally
        {
            db.Database.SetCommandTimeout(timeout);
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>PostgreSQL's lock_not_available (55P03), which <c>lock_timeout</c> raises, or a deadlock (40P01) with a
    /// transaction of the site (the attack walk of session 12: the aggregates' reinstall takes its tables' locks one by one),
    /// however EF wrapped it: the attempt was rolled back either way and is tried again.</summary>
    private static bool IsLockTimeout(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected }) return true;
        return false;
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
