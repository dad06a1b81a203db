using System.Diagnostics;
using System.Globalization;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Data.Synthetic;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Web.Cli;

/// <summary>
/// Hidden verb for scripts/bench.sh: <c>hlb bench-rollup --org CODE --year Y --runs N</c> times the
/// hand-written baseline roll-up and the application's roll-up of every unit under CODE, warm, and
/// prints the medians on one line. Not in the usage text: it is a measuring tool, not a feature.
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

        await using var conn = await scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct);
        var units = (await RollupBaseline.RunAsync(conn, unitId, year, ct)).Count; // warm-up
        var baseline = await TimeAsync(runs, () => RollupBaseline.RunAsync(conn, unitId, year, ct));

        string app = "pending";
        if (await AppRollupAsync(db, unitId, year, ct))
            app = (await TimeAsync(runs, () => AppRollupAsync(db, unitId, year, ct))).ToString("F1", CultureInfo.InvariantCulture);

        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"rollup org={code} year={year} units={units} runs={runs} baseline_ms={baseline:F1} app_ms={app}"));
        return 0;
    }

    private static async Task<bool> AppRollupAsync(AppDbContext db, int unitId, int year, CancellationToken ct)
    {
        await Reports.Rollup.ComputeAsync(db, unitId, year, ct);
        return true;
    }

    private static async Task<double> TimeAsync<T>(int runs, Func<Task<T>> work)
    {
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            await work();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
    }
}
