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

        // Warm-up: the first export (JIT, fonts) is timed apart as pdf_cold_ms; the next two still run much of the render
        // in the JIT's first tier (measured 01/12/2026: runs 2-3 took 2-3x the later ones), and were the 180-290 ms by
        // which pdf_ms exceeded model_ms + render_ms (measured after them) until session 8.
        var cold = Stopwatch.StartNew();
        var first = await YearEndReports.ExportAsync(db, province, year, ExportFormat.Pdf, null, ct);
        var pdfCold = cold.Elapsed.TotalMilliseconds;
        for (var i = 0; i < 2; i++) await YearEndReports.ExportAsync(db, province, year, ExportFormat.Pdf, null, ct);
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var pdf = await BenchTiming.MedianAsync(runs, () => YearEndReports.ExportAsync(db, province, year, ExportFormat.Pdf, null, ct));
        var pdfCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / runs;
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

        // The same export again, now that every phase ran many times (the first figure's runs include the JIT's warm-up).
        var pdfAgain = await BenchTiming.MedianAsync(runs, () => YearEndReports.ExportAsync(db, province, year, ExportFormat.Pdf, null, ct));

        await YearEndReports.ExportAsync(db, branch, year, ExportFormat.Pdf, null, ct);
        var branchPdf = await BenchTiming.MedianAsync(runs, () => YearEndReports.ExportAsync(db, branch, year, ExportFormat.Pdf, null, ct));

        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"report org={code} branch={branchCode} year={year} runs={runs} annex={model.Annex.Count} bytes={first.Bytes.Length} " +
            $"baseline_ms={baseline:F1} pdf_ms={pdf:F1} model_ms={modelMs:F1} render_ms={renderMs:F1} branch_pdf_ms={branchPdf:F1} " +
            $"rollup_ms={rollupMs:F1} pdf_again_ms={pdfAgain:F1} pdf_cold_ms={pdfCold:F1} pdf_cpu_ms={pdfCpu:F1} {phaseText}"));
        return 0;
    }

    /// <summary><c>bench-render --model FILE.json --runs N [--out FILE.pdf]</c>: the render alone and its phases, no database.</summary>
    public static async Task<int> RenderAsync(CliArgs a, TextWriter o)
    {
        var model = ReportModel.FromJson(await File.ReadAllTextAsync(a.Required("model")));
        var runs = Math.Clamp(a.OptionalInt("runs") ?? 5, 1, 100);
        var bytes = ReportDocument.Render(model);
        if (a.Get("out") is { Length: > 0 } path) await File.WriteAllBytesAsync(path, bytes);
        var each = new List<string>();
        var renderMs = await BenchTiming.MedianAsync(runs, () =>
        {
            var (gc, pause, cpu, sw) = (GC.CollectionCount(0) + GC.CollectionCount(1) * 100 + GC.CollectionCount(2) * 10000, GC.GetTotalPauseDuration(), Process.GetCurrentProcess().TotalProcessorTime, Stopwatch.StartNew());
            var r = ReportDocument.Render(model);
            each.Add(string.Create(CultureInfo.InvariantCulture,
                $"{sw.Elapsed.TotalMilliseconds:F0}/cpu{(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0}/gc{GC.CollectionCount(0) + GC.CollectionCount(1) * 100 + GC.CollectionCount(2) * 10000 - gc}/p{(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F0}"));
            return Task.FromResult(r);
        });
        var phases = new Dictionary<string, List<double>>();
        for (var i = 0; i < runs; i++)
            foreach (var (name, ms) in ReportDocument.RenderPhases(model))
                (phases.TryGetValue(name, out var l) ? l : phases[name] = []).Add(ms);
        if (a.Get("each") is not null) await o.WriteLineAsync("runs " + string.Join(" ", each));
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
