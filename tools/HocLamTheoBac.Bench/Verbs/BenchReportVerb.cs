using System.Diagnostics;
using System.Globalization;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Data.Synthetic;
using HocLamTheoBac.Web.Reports;
using HocLamTheoBac.Web.Reports.Pdf;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Web.Cli;

/// <summary>
/// Hidden verb for scripts/bench.sh: <c>hlb bench-report --org CODE --branch CODE --year Y --runs N</c>
/// times, in process and warm, the draft PDF of the year-end report exactly as the download does it
/// (<see cref="YearEndReports.ExportAsync"/>: roll-up, model, render) for the committee CODE with the
/// annex of every unit under it, and for one branch; also the model and the render alone, and the
/// hand-written roll-up as the same-run baseline. Not in the usage text, like bench-rollup.
/// </summary>
internal static class BenchReportVerb
{
    public static async Task<int> RunAsync(CliHost host, CliArgs a, TextWriter o, CancellationToken ct)
    {
        var code = a.Required("org");
        var branchCode = a.Required("branch");
        var year = a.RequiredInt("year");
        var runs = Math.Clamp(a.OptionalInt("runs") ?? 5, 1, 100);
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var province = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == code, ct)
                       ?? throw new CliFailure($"không tìm thấy tổ chức có mã {code}.");
        var branch = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == branchCode, ct)
                     ?? throw new CliFailure($"không tìm thấy tổ chức có mã {branchCode}.");

        await using var conn = await scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct);
        var asOf = db.Clock.AsOf(year);
        await RollupBaseline.RunAsync(conn, province.Id, year, asOf, ct);
        var baseline = await BenchTiming.MedianAsync(runs, () => RollupBaseline.RunAsync(conn, province.Id, year, asOf, ct));

        var first = await YearEndReports.ExportAsync(db, province, year, ExportFormat.Pdf, null, ct); // warm-up: JIT, fonts
        var pdf = await BenchTiming.MedianAsync(runs, () => YearEndReports.ExportAsync(db, province, year, ExportFormat.Pdf, null, ct));
        var draft = new Web.Domain.Report { OrgUnitId = province.Id, Year = year, Place = "Tỉnh" };
        var model = await YearEndReports.ModelAsync(db, province, draft, db.Clock.Today, ct);
        var modelMs = await BenchTiming.MedianAsync(runs, () => YearEndReports.ModelAsync(db, province, draft, db.Clock.Today, ct));
        var renderMs = await BenchTiming.MedianAsync(runs, () => Task.FromResult(ReportDocument.Render(model)));

        // The phases of the province PDF (profile): the roll-up alone, the rest of the model, then the render's parts.
        var rollupMs = await BenchTiming.MedianAsync(runs, () => Rollup.ComputeAsync(db, province.Id, year, ct));
        var phases = new Dictionary<string, List<double>>();
        for (var i = 0; i < runs; i++)
            foreach (var (name, ms) in ReportDocument.RenderPhases(model))
                (phases.TryGetValue(name, out var l) ? l : phases[name] = []).Add(ms);
        var phaseText = string.Join(" ", phases.Select(p => string.Create(CultureInfo.InvariantCulture, $"render_{p.Key}_ms={BenchTiming.Median(p.Value):F1}")));

        if (a.Get("save") is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            await File.WriteAllTextAsync(Path.Combine(dir, "model.json"), model.ToJson(), ct);
            await File.WriteAllBytesAsync(Path.Combine(dir, "province.pdf"), first.Bytes, ct);
        }

        await YearEndReports.ExportAsync(db, branch, year, ExportFormat.Pdf, null, ct);
        var branchPdf = await BenchTiming.MedianAsync(runs, () => YearEndReports.ExportAsync(db, branch, year, ExportFormat.Pdf, null, ct));

        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"report org={code} branch={branchCode} year={year} runs={runs} annex={model.Annex.Count} bytes={first.Bytes.Length} " +
            $"baseline_ms={baseline:F1} pdf_ms={pdf:F1} model_ms={modelMs:F1} render_ms={renderMs:F1} branch_pdf_ms={branchPdf:F1} " +
            $"rollup_ms={rollupMs:F1} {phaseText}"));
        return 0;
    }

    /// <summary><c>bench-render --model FILE.json --runs N [--out FILE.pdf]</c>: the render alone and its phases, no database.</summary>
    public static async Task<int> RenderAsync(CliArgs a, TextWriter o)
    {
        var model = ReportModel.FromJson(await File.ReadAllTextAsync(a.Required("model")));
        var runs = Math.Clamp(a.OptionalInt("runs") ?? 5, 1, 100);
        var bytes = ReportDocument.Render(model);
        if (a.Get("out") is { Length: > 0 } path) await File.WriteAllBytesAsync(path, bytes);
        var renderMs = await BenchTiming.MedianAsync(runs, () => Task.FromResult(ReportDocument.Render(model)));
        var phases = new Dictionary<string, List<double>>();
        for (var i = 0; i < runs; i++)
            foreach (var (name, ms) in ReportDocument.RenderPhases(model))
                (phases.TryGetValue(name, out var l) ? l : phases[name] = []).Add(ms);
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"render annex={model.Annex.Count} bytes={bytes.Length} runs={runs} render_ms={renderMs:F1} ") +
            string.Join(" ", phases.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}_ms={BenchTiming.Median(p.Value):F1}"))));
        return 0;
    }
}

internal static class BenchTiming
{
    public static async Task<double> MedianAsync<T>(int runs, Func<Task<T>> work)
    {
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            await work();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        return Median(times);
    }

    public static double Median(List<double> times)
    {
        times.Sort();
        return times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
    }
}
