using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Reports;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace HocLamTheoBac.Web.Cli;

/// <summary>hlb report --org CODE (--year Y | --years 2021-2025) --format pdf|xlsx|csv --out FILE [--issued NUMBER]</summary>
internal static class ReportVerb
{
    public static async Task<int> RunAsync(CliHost host, CliArgs a, TextWriter o, CancellationToken ct)
    {
        var code = a.Required("org");
        int? firstYear = null;
        int year;
        if (a.Has("years"))
        {
            if (a.Has("year")) throw new UsageException("Dùng --year cho báo cáo năm hoặc --years cho báo cáo giai đoạn, không dùng cả hai.");
            var range = YearEndReports.ParseYears(a.Required("years")) ?? throw new UsageException("--years phải có dạng NĂM-NĂM, ví dụ 2021-2025.");
            if (YearEndReports.CheckPeriod(range.First, range.Last) is { } why) throw new UsageException("--years: " + why);
            (firstYear, year) = range;
        }
        else year = a.RequiredInt("year");
        var format = YearEndReports.ParseFormat(a.Required("format")) ?? throw new UsageException("--format phải là pdf, xlsx hoặc csv.");
        var outFile = OutputFile.Check(a.Required("out"), $"bao-cao.{a.Required("format").ToLowerInvariant()}");
        var issuedNumber = a.OptionalInt("issued");
        if (!PlanYearRange.Contains(year)) throw new UsageException($"--year phải là một năm từ {PlanYearRange.First} đến {PlanYearRange.Last}.");

        var (scope, db, access, user) = await host.ActAsync(a, ct);
        await using var _s = scope;
        var id = await db.OrgUnits.Where(u => u.Code == code).Select(u => (int?)u.Id).SingleOrDefaultAsync(ct);
        var unit = id is int uid ? await access.FindUnitAsync(uid, Permission.ViewReports, ct) : null;
        if (unit is null) throw new CliFailure($"không có tổ chức {code} trong phạm vi của {user.Name}.");

        Web.Domain.Report? issued = null;
        if (issuedNumber is int n)
        {
            issued = await YearEndReports.IssuedAsync(db, unit.Id, year, n, ct, firstYear);
            if (issued is null)
            {
                // Numbering is per report year (ADR 0011): number n of this year may be the other kind — a period review
                // asked for with --year, or a year report with --years (the attack walk of session 14). Say which option finds it.
                var other = await db.Reports.AsNoTracking()
                    .Where(r => r.OrgUnitId == unit.Id && r.Year == year && r.Number == n && r.Status == ReportStatus.Issued && r.FirstYear != firstYear)
                    .Select(r => new { r.FirstYear }).FirstOrDefaultAsync(ct);
                var hint = other is null ? "" : other.FirstYear is int of ? $" Số {n} năm {year} là báo cáo giai đoạn {of}–{year}: dùng --years {of}-{year}." : $" Số {n} năm {year} là báo cáo năm {year}: dùng --year {year}.";
                throw new CliFailure($"{unit.Name} chưa ban hành báo cáo số {n} {(firstYear is int f ? $"giai đoạn {f}–{year}" : $"năm {year}")}.{hint}");
            }
        }

        ExportFile file;
        if (ReferenceEquals(o, Console.Out) && !Console.IsOutputRedirected)
        {
            file = null!;
            await AnsiConsole.Status().StartAsync("Đang tạo báo cáo…", async ctx =>
            {
                var progress = new Progress<string>(s => ctx.Status(Markup.Escape(s)));
                file = await YearEndReports.ExportAsync(db, unit, year, format, issued, ct, progress, firstYear);
            });
        }
        else
        {
            // Redirected output (tests, scripts): plain progress lines instead of a live spinner.
            var progress = new SyncProgress(s => o.WriteLine(s));
            file = await YearEndReports.ExportAsync(db, unit, year, format, issued, ct, progress, firstYear);
        }
        try
        {
            await File.WriteAllBytesAsync(outFile, file.Bytes, ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw OutputFile.Failure(outFile, ex);
        }
        await o.WriteLineAsync($"Đã ghi {outFile} ({Vn.Number(file.Bytes.Length)} byte) – {unit.Name}, {(firstYear is int fy ? $"giai đoạn {fy}–{year}" : $"năm {year}")}{(issued is null ? ", dự thảo theo số liệu hiện tại" : $", báo cáo số {issued.Number}-{issued.Symbol}")}.");
        return 0;
    }

    private sealed class SyncProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
