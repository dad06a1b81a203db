using System.Diagnostics;
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
        await TestDatabase.ExecAsync($"""
            INSERT INTO pledges (member_id, branch_id, year, content, status)
            SELECT m.id, m.branch_id, {TestClock.Year}, 'Trước hợp nhất', 7 FROM members m JOIN org_units u ON u.id = m.branch_id
            WHERE u.code IN ('TQ-TP-PT-TDP1', 'TQ-TP-PT-TDP2')
            """, app.ConnectionString);
        Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(app.ConnectionString));
        var before = await KeptFiguresAsync();

        // The merge's audit rows wait behind this lock: the process is stopped inside its transaction, all else written.
        await using var blocker = new NpgsqlConnection(app.ConnectionString);
        await blocker.OpenAsync();
        await using var tx = await blocker.BeginTransactionAsync();
        await using (var lk = new NpgsqlCommand("LOCK TABLE audit_entries IN EXCLUSIVE MODE", blocker, tx)) await lk.ExecuteNonQueryAsync();

        var dll = typeof(Program).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { dll, "orgs", "merge", "TQ-TP-PT-TDP2", "--into", "TQ-TP-PT-TDP1", "--on", TestClock.Today.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(arg);
        psi.Environment["ConnectionStrings__Default"] = app.ConnectionString;
        psi.Environment["Logging__File"] = "";
        using var cli = Process.Start(psi)!;
        var output = cli.StandardOutput.ReadToEndAsync();
        var errors = cli.StandardError.ReadToEndAsync();
        try
        {
            var waiting = false;
            for (var i = 0; i < 100_000 && !waiting && !cli.HasExited; i++)
                waiting = await TestDatabase.ScalarAsync<long>(app.ConnectionString, """
                    SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'audit_entries' AND NOT l.granted
                    """) > 0;
            Assert.True(waiting, $"the merge never reached its audit rows: {await output} {await errors}");
            cli.Kill(entireProcessTree: true);
            await cli.WaitForExitAsync();
        }
        finally
        {
            if (!cli.HasExited) cli.Kill(entireProcessTree: true);
            await tx.RollbackAsync();
        }

        // PostgreSQL finds the client gone once the lock is released, and rolls the merge back.
        for (var i = 0; i < 100_000 && await TestDatabase.ScalarAsync<long>(app.ConnectionString,
                 "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL") > 0; i++)
            await Task.Yield();
        NpgsqlConnection.ClearAllPools();
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(app.ConnectionString, "SELECT count(*) FROM org_units WHERE merged_into_id IS NOT NULL"));
        Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(app.ConnectionString));
        Assert.Equal(before, await KeptFiguresAsync());
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(app.ConnectionString, "SELECT count(*) FROM agg_pending_members"));

        // The same merge, not interrupted, commits with its aggregates exact.
        var psi2 = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in psi.ArgumentList) psi2.ArgumentList.Add(arg);
        psi2.Environment["ConnectionStrings__Default"] = app.ConnectionString;
        psi2.Environment["Logging__File"] = "";
        using var again = Process.Start(psi2)!;
        var out2 = again.StandardOutput.ReadToEndAsync();
        var err2 = again.StandardError.ReadToEndAsync();
        await again.WaitForExitAsync();
        Assert.True(again.ExitCode == 0, await out2 + await err2);
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(app.ConnectionString, "SELECT count(*) FROM org_units WHERE merged_into_id IS NOT NULL"));
        Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(app.ConnectionString));
        Assert.NotEqual(before, await KeptFiguresAsync());
    }

    private Task<string> KeptFiguresAsync() => TestDatabase.ScalarAsync<string>(app.ConnectionString,
        "SELECT coalesce(string_agg(concat_ws(':', year, unit_id, from_day, to_day, kind, key, day, n), ',' ORDER BY 1), '') FROM agg_unit_figures");
}
