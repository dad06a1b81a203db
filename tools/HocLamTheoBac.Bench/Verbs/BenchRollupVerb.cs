using System.Globalization;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Data.Synthetic;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Web.Cli;

/// <summary>
/// Hidden verb for scripts/bench.sh: <c>hlb bench-rollup --org CODE --year Y --runs N</c> times, warm,
/// the application's roll-up (<see cref="Reports.Rollup.ComputeAsync(AppDbContext, int, int, CancellationToken)"/>)
/// of every unit under CODE against the hand-written SQL for the same 24 figures
/// (<see cref="RollupBaseline.Sql"/>), checks that both give the same numbers for every unit, and also
/// times the issue's smaller reference shape (pledges only). The app's roll-up reads the incremental aggregates
/// (ADR 0018), the baseline counts from scratch; agg_differences counts where the aggregates differ from a recount.
/// Prints the medians on one line. Not in the
/// usage text: it is a measuring tool, not a feature.
/// </summary>
internal static class BenchRollupVerb
{
    public static async Task<int> RunAsync(CliHost host, CliArgs a, TextWriter o, CancellationToken ct)
    {
        var code = a.Required("org");
        var year = a.RequiredInt("year");
        var runs = Math.Clamp(a.OptionalInt("runs") ?? 5, 1, 100);
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var unitId = await db.OrgUnits.Where(u => u.Code == code).Select(u => (int?)u.Id).SingleOrDefaultAsync(ct)
                     ?? throw new CliFailure($"không tìm thấy tổ chức có mã {code}.");
        var asOf = db.Clock.AsOf(year);
        // The site's path for the report, its PDF and the branches' list (ADR 0027): each unit's own figures kept between
        // requests in the memo, brought up to date from the change log in each request's snapshot. --kept=0: without it
        // (each roll-up read whole, as inside a writing transaction), for --cpu and --profile the default.
        var memo = new Reports.RollupMemo();
        var keptCpu = a.Get("kept") is "1" ? memo : null;

        await using var conn = await scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct);
        if (a.Get("explain") is "1")
        {
            // The roll-up's statement under EXPLAIN (ANALYZE, BUFFERS), warm (run once first); with --trend also the
            // dashboard trend's totals statement for the four years before.
            await Reports.Rollup.ComputeAsync(db, unitId, year, asOf, ct);
            await o.WriteLineAsync(await Reports.Rollup.ExplainAsync(conn, unitId, year, asOf, null, null, ct));
            if (a.Has("trend"))
            {
                var ys = Enumerable.Range(year - 4, 4).ToArray();
                await o.WriteLineAsync(await Reports.Rollup.ExplainAsync(conn, unitId, year, asOf, ys, ys.Select(db.Clock.AsOf).ToArray(), ct));
            }
            return 0;
        }
        if (a.Get("cpu") is "1")
        {
            // The CPU one roll-up costs, steadier than its wall time on a loaded machine: this process's (user + system)
            // and the PostgreSQL backend's that served it (/proc/PID/stat, in clock ticks of 10 ms: summed over the runs),
            // after as many warm-up runs (the JIT's tiers compile the hot paths in the background meanwhile).
            for (var i = 0; i < runs; i++) await Reports.Rollup.ComputeAsync(db, unitId, year, asOf, ct, keptCpu);
            var pid = await db.Database.SqlQueryRaw<int>("SELECT pg_backend_pid() AS \"Value\"").SingleAsync(ct);
            var self = System.Diagnostics.Process.GetCurrentProcess();
            self.Refresh();
            var (client0, server0) = (self.TotalProcessorTime, BackendTicks(pid));
            var walls = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                await Reports.Rollup.ComputeAsync(db, unitId, year, asOf, ct, keptCpu);
                walls.Add(System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
            self.Refresh();
            var busy = self.TotalProcessorTime;
            await Task.Delay(2000, ct);
            self.Refresh();
            var idle = (self.TotalProcessorTime - busy).TotalMilliseconds / 2000;
            var pidAfter = await db.Database.SqlQueryRaw<int>("SELECT pg_backend_pid() AS \"Value\"").SingleAsync(ct);
            var client = (self.TotalProcessorTime - client0).TotalMilliseconds / runs;
            var server = (BackendTicks(pid) - server0) * 10.0 / runs;
            walls.Sort();
            await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"cpu org={code} year={year} runs={runs} wall_median_ms={walls[walls.Count / 2]:F1} client_cpu_ms={client:F1} backend_cpu_ms={server:F1} same_backend={pid == pidAfter} idle_client_cpu_ms_per_s={idle * 1000:F1}"));
            return 0;
        }
        if (a.Get("profile") is "1")
        {
            // Where one roll-up's time goes in process (median of each phase over the runs, after a warm-up run).
            for (var i = 0; i < runs; i++) await Reports.Rollup.ComputeAsync(db, unitId, year, asOf, ct, keptCpu);
            var phases = new List<List<(string Phase, double Ms, double CpuMs)>>();
            for (var i = 0; i < runs; i++)
            {
                var p = new Reports.Rollup.Profile();
                await Reports.Rollup.ComputeAsync(db, unitId, year, asOf, p, ct, keptCpu);
                p.Mark("returned");
                phases.Add(p.Phases);
            }
            for (var k = 0; k < phases[0].Count; k++)
            {
                var ms = phases.Select(p => p[k].Ms).Order().ToList();
                var cpu = phases.Average(p => p[k].CpuMs);
                await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"profile {phases[0][k].Phase,-40} {ms[ms.Count / 2],8:F2} ms  client CPU {cpu,7:F2} ms (mean)"));
            }
            var totals = phases.Select(p => p.Sum(x => x.Ms)).Order().ToList();
            await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"profile {"total",-40} {totals[totals.Count / 2],8:F2} ms  client CPU {phases.Average(p => p.Sum(x => x.CpuMs)),7:F2} ms (mean)"));
            return 0;
        }
        var hand = await RollupBaseline.RunAsync(conn, unitId, year, asOf, ct); // warm-up
        // Read whole (the memo's first read), then as kept, then without the memo: each compared with the hand-written SQL.
        var app = await Reports.Rollup.ComputeAsync(db, unitId, year, asOf, ct, memo);
        int Mismatches(Reports.RollupResult r) => r.All.Count(u => !hand.TryGetValue(u.UnitId, out var v) || !v.SequenceEqual(Values(u.Figures)))
                                                  + Math.Abs(hand.Count - r.All.Count);
        var mismatches = Mismatches(app) + Mismatches(await Reports.Rollup.ComputeAsync(db, unitId, year, asOf, ct, memo))
                         + Mismatches(await Reports.Rollup.ComputeAsync(db, unitId, year, asOf, ct));

        if (a.Has("trend"))
        {
            // The dashboard's trend, as before (one roll-up per earlier year) and now (one totals statement), same run.
            var earlier = Enumerable.Range(year - 4, 4).ToArray();
            var perYear = await BenchTiming.MedianAsync(runs, async () =>
            {
                foreach (var y in earlier) await Reports.Rollup.ComputeAsync(db, unitId, y, ct);
                return earlier.Length;
            });
            var totals = await BenchTiming.MedianAsync(runs, () => Reports.Rollup.TotalsAsync(db, unitId, earlier, ct));
            await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"trend org={code} years={earlier[0]}-{earlier[^1]} runs={runs} per_year_rollups_ms={perYear:F1} totals_ms={totals:F1}"));
        }

        var baseline = await BenchTiming.MedianAsync(runs, () => RollupBaseline.RunAsync(conn, unitId, year, asOf, ct));
        var appMs = await BenchTiming.MedianAsync(runs, () => Reports.Rollup.ComputeAsync(db, unitId, year, asOf, ct, memo));
        var wholeMs = await BenchTiming.MedianAsync(runs, () => Reports.Rollup.ComputeAsync(db, unitId, year, asOf, ct));
        await RollupBaseline.RunPledgesOnlyAsync(conn, unitId, year, ct);
        var pledgesOnly = await BenchTiming.MedianAsync(runs, () => RollupBaseline.RunPledgesOnlyAsync(conn, unitId, year, ct));

        // The aggregates the app's roll-up reads (ADR 0018) against a recount of every unit and year: 0 or the bench fails.
        long differences;
        await using (var cmd = new NpgsqlCommand("SELECT count(*) FROM agg_differences()", conn) { CommandTimeout = 0 })
            differences = (long)(await cmd.ExecuteScalarAsync(ct))!;

        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"rollup org={code} year={year} units={app.All.Count} runs={runs} baseline_ms={baseline:F1} app_ms={appMs:F1} whole_ms={wholeMs:F1} kept_reads={memo.AsKept} whole_reads={memo.Whole} pledges_only_ms={pledgesOnly:F1} mismatches={mismatches} agg_differences={differences}"));
        return 0;
    }

    /// <summary>A process's user + system time in clock ticks (10 ms), from /proc/PID/stat.</summary>
    private static long BackendTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static int[] Values(Reports.Figures f) =>
    [
        f.Members, f.MembersWithPlan, f.PledgesRegistered, f.PledgesDone, f.PledgesOverdue, f.CollectiveRegistered, f.CollectiveDone,
        f.ModelsCollective, f.ModelsExemplar, f.ModelsRecognised, f.QuotaCollective, f.QuotaExemplar, f.Replications,
        f.Praises, f.Certificates, f.Merits, f.StudySessions, f.AttendancePresent, f.AttendanceRecorded,
        f.ProblemsRegistered, f.ProblemsResolved, f.LeaderTasks, f.LeaderTasksDone, f.Plans,
    ];
}
