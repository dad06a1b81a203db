using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Cli;
using HocLamTheoBac.Web.Data.Synthetic;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>Five closed years (2021–2025) of a small synthetic province beside the demo data.</summary>
public sealed class FiveYearsFactory : AppFactory
{
    public const string Code = "PER";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var ds = NpgsqlDataSource.Create(ConnectionString);
        await SyntheticLoader.RunAsync(ds, new SyntheticOptions(3_000, 5, Seed: 11, LastYear: 2025, Code: Code), null, CancellationToken.None);
    }
}

public sealed class PeriodReportTests(FiveYearsFactory app) : IClassFixture<FiveYearsFactory>
{
    private static readonly int[] Years = [2021, 2022, 2023, 2024, 2025];

    private IConfiguration Config => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = app.ConnectionString }).Build();

    private async Task<byte[]> Hlb(string format, params string[] extra)
    {
        var file = Path.Combine(Path.GetTempPath(), $"hlb-period-{Guid.NewGuid():N}.{format}");
        var sw = new StringWriter();
        var code = await CommandLine.RunAsync(["report", "--org", FiveYearsFactory.Code, "--years", "2021-2025", "--format", format, "--out", file, .. extra], sw, Config);
        Assert.True(code == 0, sw.ToString());
        Assert.Contains("giai đoạn 2021–2025", sw.ToString());
        var bytes = await File.ReadAllBytesAsync(file);
        File.Delete(file);
        return bytes;
    }

    [Fact]
    public async Task An_issued_2021_2025_review_shows_each_year_and_the_period_totals_with_rates_on_the_totals_in_PDF_xlsx_and_csv()
    {
        var perYear = new Dictionary<int, Dictionary<string, long>>();
        foreach (var y in Years) perYear[y] = await IndependentCount.ForAsync(app.ConnectionString, FiveYearsFactory.Code, y);
        long Sum(string k) => perYear.Values.Sum(c => c[k]);
        Assert.All(Years, y => Assert.True(perYear[y]["pledges_registered"] > 0, $"no pledges in {y}"));

        var issued = await app.DbAsync(async db =>
        {
            var unit = await db.OrgUnits.SingleAsync(u => u.Code == FiveYearsFactory.Code);
            var yearly = await YearEndReports.DraftAsync(db, unit, 2025, CancellationToken.None);
            yearly.SignerName = "Nguyễn Văn An";
            var first = await YearEndReports.IssueAsync(db, unit, yearly, new DateOnly(2025, 12, 20), CancellationToken.None);
            var draft = await YearEndReports.DraftAsync(db, unit, 2025, CancellationToken.None, firstYear: 2021);
            Assert.NotEqual(first.Id, draft.Id);
            draft.SignerName = "Nguyễn Văn An";
            draft.LeadershipText = "Ban Thường vụ đã ban hành kế hoạch thực hiện Kết luận 01-KL/TW cho cả nhiệm kỳ và chuyên đề từng năm; sơ kết giữa kỳ năm 2023.";
            draft.Strengths = "Việc học tập và làm theo Bác trở thành nền nếp trong sinh hoạt chi bộ; hầu hết đảng viên có kế hoạch cá nhân gắn với chức trách, nhiệm vụ.";
            draft.Limitations = "Việc nhân rộng mô hình, điển hình ở một số nơi chưa thường xuyên; chưa giải quyết dứt điểm một số vấn đề bức xúc kéo dài.";
            draft.Direction = "Tiếp tục đẩy mạnh học tập và làm theo Bác trong giai đoạn 2026–2030.";
            return await YearEndReports.IssueAsync(db, unit, draft, new DateOnly(2026, 1, 15), CancellationToken.None);
        });
        Assert.Equal((2, 2021, "BC/TU"), (issued.Number, issued.FirstYear, issued.Symbol)); // its own number, after the year-end report 1

        // PDF: section II speaks of the period; rates on the period's totals; Phụ lục 1 has each year side by side.
        var pdf = await Hlb("pdf", "--issued", "2");
        Assert.Equal(issued.Pdf, pdf);
        var text = Regex.Replace(await PdfText.ExtractAsync(pdf), @"\s+", " ");
        Assert.Contains("Giai đoạn 2021–2025, toàn Đảng bộ tỉnh", text);
        Assert.Contains("Tổng kết 5 năm thực hiện Chỉ thị 05-CT/TW", text);
        Assert.Contains($"Có {Vn.Number(Sum("with_plan"))}/{Vn.Number(Sum("members"))} lượt đảng viên xây dựng kế hoạch cá nhân, đạt {Sp(new Rate(Sum("with_plan"), Sum("members")))}", text);
        Assert.Contains($"Đảng viên đăng ký {Vn.Number(Sum("pledges_registered"))} việc làm theo, đã hoàn thành {Vn.Number(Sum("pledges_done"))}, đạt {Sp(new Rate(Sum("pledges_done"), Sum("pledges_registered")))}", text);
        Assert.Contains($"Các tập thể đăng ký {Vn.Number(Sum("collective_registered"))} nội dung, hoàn thành {Vn.Number(Sum("collective_done"))}, đạt {Sp(new Rate(Sum("collective_done"), Sum("collective_registered")))}", text);
        Assert.Contains("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN TIẾP THEO", text);
        Assert.Contains("(Kèm theo Báo cáo số 2-BC/TU ngày 15/01/2026 của Tỉnh ủy tỉnh mẫu", text);
        Assert.Contains("Việc làm theo cá nhân đăng ký " + string.Join(" ", Years.Select(y => Vn.Number(perYear[y]["pledges_registered"]))) + " " + Vn.Number(Sum("pledges_registered")), text);
        Assert.Contains("Việc làm theo cá nhân hoàn thành " + string.Join(" ", Years.Select(y => $"{Vn.Number(perYear[y]["pledges_done"])} ({Sp(new Rate(perYear[y]["pledges_done"], perYear[y]["pledges_registered"]))})"))
            + $" {Vn.Number(Sum("pledges_done"))} ({Sp(new Rate(Sum("pledges_done"), Sum("pledges_registered")))})", text);
        var pages = await PdfWords.ReadAsync(pdf);
        Assert.Empty(PdfWords.Overlaps(pages));

        // xlsx: a column per year, the period, the rate on the period's totals.
        var xlsx = await Hlb("xlsx", "--issued", "2");
        using (var doc = SpreadsheetDocument.Open(new MemoryStream(xlsx), false))
        {
            var wb = doc.WorkbookPart!;
            var sheet = wb.Workbook.Sheets!.Elements<Sheet>().First();
            var rows = ((WorksheetPart)wb.GetPartById(sheet.Id!)).Worksheet.Descendants<Row>().Select(r => r.Elements<Cell>().ToList()).ToList();
            Assert.Contains("2021–2025", Text(rows[1][0]));
            var header = rows.First(r => r.Count > 0 && Text(r[0]) == "Chỉ tiêu").Select(Text).ToList();
            Assert.Equal(["Chỉ tiêu", "Năm 2021", "Năm 2022", "Năm 2023", "Năm 2024", "Năm 2025", "Cả giai đoạn 2021–2025", "Tỷ lệ"], header);
            var reg = rows.Single(r => r.Count > 0 && Text(r[0]) == "Việc làm theo cá nhân đăng ký");
            Assert.Equal([.. Years.Select(y => perYear[y]["pledges_registered"].ToString(CultureInfo.InvariantCulture)), Sum("pledges_registered").ToString(CultureInfo.InvariantCulture)], reg.Skip(1).Take(6).Select(Text));
            var done = rows.Single(r => r.Count > 0 && Text(r[0]) == "Việc làm theo cá nhân hoàn thành");
            Assert.Equal(new Rate(Sum("pledges_done"), Sum("pledges_registered")).Fraction, decimal.Parse(Text(done[7]), CultureInfo.InvariantCulture));
            var plan = rows.Single(r => r.Count > 0 && Text(r[0]) == "Lượt đảng viên có kế hoạch cá nhân");
            Assert.Equal(new Rate(Sum("with_plan"), Sum("members")).Fraction, decimal.Parse(Text(plan[7]), CultureInfo.InvariantCulture));
        }

        // csv: one table; the unit's rows for each year and for the period.
        var csv = await Hlb("csv", "--issued", "2");
        Assert.Equal(Encoding.UTF8.GetPreamble(), csv[..3]);
        var table = CsvTable.Parse(Encoding.UTF8.GetString(csv[3..]));
        var lines = table.Records;
        int Col(string name) => table.Col(name);
        Assert.All(lines, l => Assert.Equal(table.Header.Count, l.Count));
        foreach (var y in Years)
        {
            var row = lines.Single(l => l[Col("Năm")] == y.ToString(CultureInfo.InvariantCulture) && l[Col("Cấp")] == "0");
            Assert.Equal(Vn.Number(perYear[y]["pledges_registered"]), row[Col("Việc làm theo đăng ký")]);
            Assert.Equal(Vn.Number(perYear[y]["members"]), row[Col("Đảng viên")]);
        }
        var total = lines.Single(l => l[Col("Năm")] == "2021-2025" && l[Col("Cấp")] == "0");
        Assert.Equal(Vn.Number(Sum("pledges_done")), total[Col("Việc làm theo hoàn thành")]);
        Assert.Equal(Vn.Number(Sum("collective_registered")), total[Col("Nội dung tập thể đăng ký")]);
        Assert.Equal(new Rate(Sum("pledges_done"), Sum("pledges_registered")).Percent!.Value.ToString("0.0", Vi), total[Col("Tỷ lệ việc làm theo hoàn thành (%)")]);
        Assert.Equal(new Rate(Sum("attendance_present"), Sum("attendance_recorded")).Percent?.ToString("0.0", Vi) ?? "", total[Col("Tỷ lệ dự học tập (%)")]);

        await ReportImages.WriteAsync(pdf, pages, "period-review");

        // Number 2 of 2025 is the period review, number 1 the year report (numbering per report year, ADR 0011): asked
        // with the other option, the command says which one finds it (the attack walk of session 14: it said only "not issued").
        foreach (var (range, number, hint) in new[] { (new[] { "--year", "2025" }, "2", "Số 2 năm 2025 là báo cáo giai đoạn 2021–2025: dùng --years 2021-2025."),
                     (["--years", "2021-2025"], "1", "Số 1 năm 2025 là báo cáo năm 2025: dùng --year 2025."),
                     (["--year", "2025"], "7", "chưa ban hành báo cáo số 7 năm 2025.") })
        {
            var err = new StringWriter();
            var code = await CommandLine.RunAsync(["report", "--org", FiveYearsFactory.Code, .. range, "--format", "pdf", "--out", "/tmp/hlb-never.pdf", "--issued", number], new StringWriter(), Config, errors: err);
            Assert.Equal(1, code);
            Assert.Contains(hint, err.ToString());
            if (number == "7") Assert.DoesNotContain("dùng --", err.ToString());
        }
    }

    [Fact]
    public async Task A_range_that_is_not_a_period_of_two_to_ten_years_is_refused_with_exit_2()
    {
        foreach (var bad in new[] { "2025-2021", "2025", "2010-2025", "abc" })
        {
            var sw = new StringWriter();
            var code = await CommandLine.RunAsync(["report", "--org", FiveYearsFactory.Code, "--years", bad, "--format", "pdf", "--out", "/tmp/x.pdf"], sw, Config);
            Assert.Equal(2, code);
        }
    }

    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    private static string Text(Cell c) => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "";

    private static string Sp(Rate r) => r.ToString().Replace('\u00A0', ' ');
}
