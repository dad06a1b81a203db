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
/// times the smaller reference shape (pledges only). The app's roll-up reads the incremental aggregates
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
        var hand = await RollupBaseline.RunAsync(conn, unitId, year, asOf, ct); // warm-up
        var app = await Reports.Rollup.ComputeAsync(db, unitId, year, asOf, ct);
        var mismatches = app.All.Count(u => !hand.TryGetValue(u.UnitId, out var v) || !v.SequenceEqual(Values(u.Figures)))
                         + Math.Abs(hand.Count - app.All.Count);

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
        var appMs = await BenchTiming.MedianAsync(runs, () => Reports.Rollup.ComputeAsync(db, unitId, year, asOf, ct));
        await RollupBaseline.RunPledgesOnlyAsync(conn, unitId, year, ct);
        var pledgesOnly = await BenchTiming.MedianAsync(runs, () => RollupBaseline.RunPledgesOnlyAsync(conn, unitId, year, ct));

        // The aggregates the app's roll-up reads (ADR 0018) against a recount of every unit and year: 0 or the bench fails.
        long differences;
        await using (var cmd = new NpgsqlCommand("SELECT count(*) FROM agg_differences()", conn) { CommandTimeout = 0 })
            differences = (long)(await cmd.ExecuteScalarAsync(ct))!;

        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"rollup org={code} year={year} units={app.All.Count} runs={runs} baseline_ms={baseline:F1} app_ms={appMs:F1} pledges_only_ms={pledgesOnly:F1} mismatches={mismatches} agg_differences={differences}"));
        return 0;
    }

    private static int[] Values(Reports.Figures f) =>
    [
        f.Members, f.MembersWithPlan, f.PledgesRegistered, f.PledgesDone, f.PledgesOverdue, f.CollectiveRegistered, f.CollectiveDone,
        f.ModelsCollective, f.ModelsExemplar, f.ModelsRecognised, f.QuotaCollective, f.QuotaExemplar, f.Replications,
        f.Praises, f.Certificates, f.Merits, f.StudySessions, f.AttendancePresent, f.AttendanceRecorded,
        f.ProblemsRegistered, f.ProblemsResolved, f.LeaderTasks, f.LeaderTasksDone, f.Plans,
    ];
}
