using System.Diagnostics;
using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Reports;
using Npgsql;

namespace HocLamTheoBac.Tests.Reliability;

/// <summary>
/// The command line (the site's own executable) is killed with SIGKILL in the middle of a merge, while its transaction
/// holds every write of the merge but has not committed: the aggregates stay exact and unchanged (ADR 0018).
/// </summary>
public sealed class CrashDuringMergeTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task A_merge_killed_before_its_commit_leaves_the_aggregates_exact_and_unchanged()
    {
        var cs = app.ConnectionString;
        var before = await MergeCrash.PrepareAsync(cs);
        var dll = typeof(Program).Assembly.Location;
        ProcessStartInfo Merge()
        {
            var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in new[] { dll, "orgs", "merge", "TQ-TP-PT-TDP2", "--into", "TQ-TP-PT-TDP1", "--on", TestClock.Today.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture) })
                psi.ArgumentList.Add(arg);
            psi.Environment["ConnectionStrings__Default"] = cs;
            psi.Environment["Logging__File"] = "";
            return psi;
        }

        await using (var held = await MergeCrash.HoldAuditAsync(cs))
        {
            using var cli = Process.Start(Merge())!;
            var output = cli.StandardOutput.ReadToEndAsync();
            var errors = cli.StandardError.ReadToEndAsync();
            try
            {
                Assert.True(await MergeCrash.ReachesAuditAsync(cs, () => cli.HasExited), $"the merge never reached its audit rows: {await output} {await errors}");
                cli.Kill(entireProcessTree: true);
                await cli.WaitForExitAsync();
            }
            finally
            {
                if (!cli.HasExited) cli.Kill(entireProcessTree: true);
            }
        }
        await MergeCrash.AssertRolledBackAsync(cs, before);

        // The same merge, not interrupted, commits with its aggregates exact.
        using var again = Process.Start(Merge())!;
        var out2 = again.StandardOutput.ReadToEndAsync();
        var err2 = again.StandardError.ReadToEndAsync();
        await again.WaitForExitAsync();
        Assert.True(again.ExitCode == 0, await out2 + await err2);
        await MergeCrash.AssertMergedAsync(cs, before);
    }
}

/// <summary>
/// The site itself (the compiled site as a child process) is killed with SIGKILL in the middle of a merge posted from the
/// restructuring page, while the merge's transaction holds every write but its audit rows: the aggregates stay exact and
/// unchanged, and the page's merge then commits with them exact. A class of its own: it merges the demo's two branches.
/// </summary>
public sealed class CrashDuringSiteMergeTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task A_site_killed_in_a_merge_before_its_commit_leaves_the_aggregates_exact_and_unchanged()
    {
        var cs = app.ConnectionString;
        var before = await MergeCrash.PrepareAsync(cs);
        var page = $"/Orgs/Restructure/{await app.OrgIdAsync("TQ-TP-PT-TDP2")}";
        Dictionary<string, string> Merge() => new() { ["Input.TargetCode"] = "TQ-TP-PT-TDP1", ["Input.EffectiveOn"] = TestClock.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) };

        var (site, client) = await CrashDuringImportTests.StartSignedInAsync(cs);
        using (site)
        using (client)
        {
            await using var held = await MergeCrash.HoldAuditAsync(cs);
            try
            {
                var merge = client.PostFormAsync($"{page}?handler=Merge", Merge(), page);
                Assert.True(await MergeCrash.ReachesAuditAsync(cs, () => merge.IsCompleted),
                    $"the merge never reached its audit rows: {(merge.IsCompleted ? (int)(await merge).StatusCode : 0)}");
                site.Kill(entireProcessTree: true);
                await site.WaitForExitAsync();
                await Assert.ThrowsAnyAsync<Exception>(() => merge);
            }
            finally
            {
                if (!site.HasExited) site.Kill(entireProcessTree: true);
            }
        }
        await MergeCrash.AssertRolledBackAsync(cs, before);

        // The same merge from the page, not interrupted, commits with its aggregates exact.
        var admin = await app.SignedInAsync("admin@hlb.local");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync($"{page}?handler=Merge", Merge(), page)).StatusCode);
        await MergeCrash.AssertMergedAsync(cs, before);
    }
}

/// <summary>What both merge crashes share: the data, the lock that stops a merge inside its transaction, and the checks.</summary>
internal static class MergeCrash
{
    /// <summary>A pledge of every member of the two branches in the current year; the kept figures before any merge.</summary>
    public static async Task<string> PrepareAsync(string cs)
    {
        await TestDatabase.ExecAsync($"""
            INSERT INTO pledges (member_id, branch_id, year, content, status)
            SELECT m.id, m.branch_id, {TestClock.Year}, 'Trước hợp nhất', 7 FROM members m JOIN org_units u ON u.id = m.branch_id
            WHERE u.code IN ('TQ-TP-PT-TDP1', 'TQ-TP-PT-TDP2')
            """, cs);
        Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(cs));
        return await KeptFiguresAsync(cs);
    }

    /// <summary>The merge's audit rows wait behind this lock until it is disposed (rolled back): a process killed meanwhile is
    /// stopped inside the merge's transaction, all else written.</summary>
    public static async Task<IAsyncDisposable> HoldAuditAsync(string cs)
    {
        var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        var tx = await conn.BeginTransactionAsync();
        await using (var lk = new NpgsqlCommand("LOCK TABLE audit_entries IN EXCLUSIVE MODE", conn, tx)) await lk.ExecuteNonQueryAsync();
        return new Held(conn, tx);
    }

    private sealed class Held(NpgsqlConnection conn, NpgsqlTransaction tx) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await tx.RollbackAsync();
            await conn.DisposeAsync();
        }
    }

    /// <summary>Whether the merge came to wait for the audit lock before <paramref name="over"/> said it ended.</summary>
    public static async Task<bool> ReachesAuditAsync(string cs, Func<bool> over)
    {
        for (var i = 0; i < 100_000 && !over(); i++)
            if (await TestDatabase.ScalarAsync<long>(cs, """
                    SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'audit_entries' AND NOT l.granted
                    """) > 0)
                return true;
        return false;
    }

    /// <summary>PostgreSQL finds the client gone once the lock is released and rolls the merge back: nothing merged, the
    /// aggregates exact and as before, nothing left pending.</summary>
    public static async Task AssertRolledBackAsync(string cs, string before)
    {
        for (var i = 0; i < 100_000 && await TestDatabase.ScalarAsync<long>(cs,
                 "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL") > 0; i++)
            await Task.Yield();
        NpgsqlConnection.ClearAllPools();
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(cs, "SELECT count(*) FROM org_units WHERE merged_into_id IS NOT NULL"));
        Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(cs));
        Assert.Equal(before, await KeptFiguresAsync(cs));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(cs, "SELECT count(*) FROM agg_pending_members"));
    }

    /// <summary>The merge committed: one unit merged, the aggregates exact and changed.</summary>
    public static async Task AssertMergedAsync(string cs, string before)
    {
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(cs, "SELECT count(*) FROM org_units WHERE merged_into_id IS NOT NULL"));
        Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(cs));
        Assert.NotEqual(before, await KeptFiguresAsync(cs));
    }

    /// <summary>Every kept figure of every unit and year, as one text to compare before and after.</summary>
    public static Task<string> KeptFiguresAsync(string cs) => TestDatabase.ScalarAsync<string>(cs,
        "SELECT coalesce(string_agg(concat_ws(':', year, unit_id, from_day, to_day, kind, key, day, n), ',' ORDER BY 1), '') FROM agg_unit_figures");
}
