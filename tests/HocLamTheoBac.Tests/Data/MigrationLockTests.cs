using System.Collections.Concurrent;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace HocLamTheoBac.Tests.Data;

/// <summary>
/// A migration run beside a live site (ADR 0030). Found by the attack walk of session 10: a schema change waited behind a
/// long report query of the site, and every request reading that table queued behind the waiting change until the
/// 30-second command timeout. Now a statement waits for a lock a few seconds at most, the attempt is rolled back, the
/// site's reads go on, and the migration is applied once the table is free (or gives up with a message).
/// </summary>
public sealed class MigrationLockTests
{
    /// <summary>The migration taken as a schema change on a table the site reads: it drops an index of <c>pledges</c>
    /// (ACCESS EXCLUSIVE, as any ALTER TABLE).</summary>
    private const string Blocked = "_DropPledgeContentTrigramIndex";

    private static readonly DatabaseMigrator.LockPolicy Quick = new(TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(400), TimeSpan.FromMinutes(2));

    /// <summary>A database at the migration before <see cref="Blocked"/>, and a connection that holds a read of
    /// <c>pledges</c> open in its transaction (a long report query of the running site).</summary>
    private static async Task<(string Cs, NpgsqlConnection Holder, NpgsqlTransaction Tx)> BeforeBlockedAsync()
    {
        var cs = await TestDatabase.CreateAsync(migrated: false);
        await using (var db = TestDatabase.NewContext(cs))
        {
            var all = db.Database.GetMigrations().ToList();
            var at = all.FindIndex(m => m.EndsWith(Blocked, StringComparison.Ordinal));
            Assert.True(at > 0, "the migration" + Blocked + " is missing");
            await db.GetService<IMigrator>().MigrateAsync(all[at - 1]);
        }
        var holder = new NpgsqlConnection(cs);
        await holder.OpenAsync();
        var tx = await holder.BeginTransactionAsync();
        await using (var read = new NpgsqlCommand("SELECT count(*) FROM pledges", holder, tx)) await read.ExecuteScalarAsync();
        return (cs, holder, tx);
    }

    /// <summary>Disposes the migrating context after its database was dropped (its connection may have been cut mid-open:
    /// a failed test's own message must not be hidden by the clean-up's).</summary>
    private static async Task CloseAsync(AppDbContext db)
    {
        try { await db.DisposeAsync(); }
        catch (InvalidOperationException) { }
    }

    private static async Task<List<string>> AppliedAsync(string cs)
    {
        await using var db = TestDatabase.NewContext(cs);
        return (await db.Database.GetAppliedMigrationsAsync()).ToList();
    }

    [Fact]
    public async Task A_migration_waiting_for_a_table_lets_the_site_s_reads_through_and_is_applied_once_the_table_is_free()
    {
        var (cs, holder, tx) = await BeforeBlockedAsync();
        // Disposed after the holder (finally): a context disposed while its migration waits for the lock would wait too.
        var db = TestDatabase.NewContext(cs);
        try
        {
            var notes = new ConcurrentQueue<string>();
            var migrating = db.MigrateAsync(locks: Quick, notify: notes.Enqueue);

            // The migration gave up at least twice while the report query holds the table.
            for (var i = 0; i < 300 && notes.Count < 2 && !migrating.IsCompleted; i++) await Task.Delay(100);
            Assert.False(migrating.IsCompleted, "the migration finished while the table was held");
            Assert.True(notes.Count >= 2, "no retry was announced");
            Assert.All(notes, n => Assert.Contains("đang được truy vấn khác giữ", n));

            // Meanwhile the site's reads of that table are served (without the lock's limit they queued behind the waiting
            // schema change for as long as the report query ran: this one would hit its statement timeout).
            for (var i = 0; i < 5; i++)
            {
                await using var page = new NpgsqlConnection(cs);
                await page.OpenAsync();
                await using (var limit = new NpgsqlCommand("SET statement_timeout = 5000", page)) await limit.ExecuteNonQueryAsync();
                await using var read = new NpgsqlCommand("SELECT count(*) FROM pledges WHERE year = 2026", page);
                await read.ExecuteScalarAsync();
                await Task.Delay(150);
            }
            Assert.DoesNotContain(await AppliedAsync(cs), m => m.EndsWith(Blocked, StringComparison.Ordinal));

            // The report query ends: the migration goes through on its next attempt, every pending one applied once.
            await tx.CommitAsync();
            var applied = await migrating.WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Contains(applied, m => m.EndsWith(Blocked, StringComparison.Ordinal));
            await using (var check = TestDatabase.NewContext(cs))
                Assert.Empty(await check.Database.GetPendingMigrationsAsync());
            Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(cs, "SELECT count(*) FROM agg_differences()"));
        }
        finally
        {
            await holder.DisposeAsync();
            await TestDatabase.DropAsync(cs);
            await CloseAsync(db);
        }
    }

    [Fact]
    public async Task A_table_held_longer_than_the_migration_waits_stops_it_with_a_message_and_nothing_half_applied()
    {
        var (cs, holder, tx) = await BeforeBlockedAsync();
        var db = TestDatabase.NewContext(cs);
        try
        {
            var before = await AppliedAsync(cs);
            var ex = await Assert.ThrowsAsync<StartupException>(() =>
                db.MigrateAsync(locks: Quick with { GiveUpAfter = TimeSpan.FromSeconds(2) }).WaitAsync(TimeSpan.FromMinutes(1)));
            Assert.StartsWith("Không cập nhật được cơ sở dữ liệu", ex.Message);
            Assert.Contains("hlb migrate", ex.Message);
            Assert.Equal(before, await AppliedAsync(cs));
            // The report query was never disturbed.
            await using (var read = new NpgsqlCommand("SELECT count(*) FROM pledges", holder, tx)) await read.ExecuteScalarAsync();
        }
        finally
        {
            await holder.DisposeAsync();
            await TestDatabase.DropAsync(cs);
            await CloseAsync(db);
        }
    }
}
