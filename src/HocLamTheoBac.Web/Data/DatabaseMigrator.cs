using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace HocLamTheoBac.Web.Data;

public static class DatabaseMigrator
{
    private const long LockKey = 0x484C42_4D4947; // "HLB MIG"

    /// <summary>
    /// Applies pending migrations under a session-level advisory lock, so instances starting together
    /// apply each migration once (EF's own lock is per migration; a second instance could re-run the next one).
    /// </summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(this AppDbContext db, CancellationToken ct = default)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({LockKey})", ct);
            try
            {
                // On an empty database EF would log a failed query of the missing history table as an error.
                var hasHistory = await db.Database.SqlQueryRaw<bool>("SELECT to_regclass('\"__EFMigrationsHistory\"') IS NOT NULL AS \"Value\"").SingleAsync(ct);
                if (!hasHistory)
                    await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), ct);
                var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
                if (pending.Count > 0) await db.Database.MigrateAsync(ct);
                return pending;
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
