using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Reports;
using HocLamTheoBac.Web.Reports.Pdf;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>The report data set plus 45 more branches, so the annex runs over several pages.</summary>
public sealed class LargeReportAppFactory : ReportAppFactory
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await DbAsync(async db =>
        {
            var agency = await db.OrgUnits.SingleAsync(u => u.Code == "TQ-YS-UB");
            var kind = await db.OrgKinds.Where(k => k.Code == "chi-bo-truc-thuoc").Select(k => k.Id).SingleAsync();
            for (var i = 1; i <= 45; i++)
                await db.AddUnitAsync(agency, kind, $"TQ-YS-UB-P{i:00}", $"Chi bộ Phòng chuyên môn số {i}", new DateOnly(2020, 1, 1), CancellationToken.None);
            await db.SaveChangesAsync();
        });
    }
}

public sealed class ReportDocumentTests(LargeReportAppFactory app) : IClassFixture<LargeReportAppFactory>
{
    private async Task<(ReportModel Model, byte[] Pdf)> DraftPdfAsync(string code) => await app.DbAsync(async db =>
    {
        var unit = await db.OrgUnits.SingleAsync(u => u.Code == code);
        var draft = await YearEndReports.DraftAsync(db, unit, ReportData.Year, CancellationToken.None);
        draft.LeadershipText = "Ban Thường vụ đã ban hành kế hoạch và hướng dẫn triển khai.";
        draft.Strengths = "Các cấp ủy quan tâm lãnh đạo.";
        draft.Limitations = "Một số chi bộ đăng ký việc làm theo còn chung chung.";
        draft.Direction = "Tiếp tục đẩy mạnh học tập và làm theo Bác.";
        draft.SignerName = "Nguyễn Văn An";
        await db.SaveChangesAsync();
        var model = await YearEndReports.ModelAsync(db, unit, draft, new DateOnly(2025, 12, 20), CancellationToken.None);
        return (model, ReportDocument.Render(model));
    });

    [Fact]
    public async Task The_PDF_shows_the_same_figures_as_an_independent_count()
    {
        var (_, pdf) = await DraftPdfAsync("TQ");
        var text = Flat(await PdfText.ExtractAsync(pdf));
        var c = await IndependentCount.ForAsync(app.ConnectionString, "TQ");
        Assert.Contains($"Có {Vn.Number(c["with_plan"])}/{Vn.Number(c["members"])} đảng viên xây dựng kế hoạch cá nhân, đạt {Sp(new Rate(c["with_plan"], c["members"]))}", text);
        Assert.Contains($"đăng ký {Vn.Number(c["pledges_registered"])} việc làm theo, đã hoàn thành {Vn.Number(c["pledges_done"])}, đạt {Sp(new Rate(c["pledges_done"], c["pledges_registered"]))}", text);
        Assert.Contains($"đăng ký {Vn.Number(c["collective_registered"])} nội dung, hoàn thành {Vn.Number(c["collective_done"])}, đạt {Sp(new Rate(c["collective_done"], c["collective_registered"]))}", text);
        Assert.Contains($"đạt {Sp(new Rate(c["attendance_present"], c["attendance_recorded"]))} ({Vn.Number(c["attendance_present"])}/{Vn.Number(c["attendance_recorded"])})", text);
        Assert.Contains("Lượt tiếp công dân: 280 lượt", text);
    }

    [Fact]
    public async Task The_PDF_follows_the_Party_document_layout_in_Vietnamese()
    {
        var (_, pdf) = await DraftPdfAsync("TQ-TP");
        var page1 = await PdfText.ExtractAsync(pdf, 1, 1);
        Assert.Contains("ĐẢNG CỘNG SẢN VIỆT NAM", page1);
        Assert.Contains("ĐẢNG BỘ TỈNH TUYÊN QUANG", page1);
        Assert.Contains("THÀNH ỦY TUYÊN QUANG", page1);
        Assert.Contains("Số", page1);
        Assert.Contains("-BC/TU", page1); // a Thành ủy numbers its documents …/TU (ADR 0011)
        Assert.Contains("Tuyên Quang, ngày 20 tháng 12 năm 2025", page1);
        Assert.Contains("BÁO CÁO", page1);
        Assert.Contains("I. CÔNG TÁC LÃNH ĐẠO", page1);
        var all = await PdfText.ExtractAsync(pdf);
        foreach (var s in new[] { "II. KẾT QUẢ THỰC HIỆN", "III. ĐÁNH GIÁ CHUNG", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026", "Nơi nhận:", "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nguyễn Văn An", "PHỤ LỤC", "Chi bộ Tổ dân phố 1" })
            Assert.Contains(s, all);
    }

    [Fact]
    public async Task The_annex_breaks_across_pages_repeats_its_header_and_pages_are_numbered()
    {
        var (model, pdf) = await DraftPdfAsync("TQ");
        Assert.Equal(55, model.Annex.Count);
        var pages = (await PdfText.ExtractAsync(pdf)).Split('\f').Where(p => p.Trim().Length > 0).ToList();
        var first = await PdfText.RenderPngAsync(pdf, 1, "report-page1");
        var annexIndex = pages.FindIndex(p => p.Contains("PHỤ LỤC")) + 1;
        var annex = await PdfText.RenderPngAsync(pdf, annexIndex + 1, "report-annex-continued");
        var annexFirst = await PdfText.RenderPngAsync(pdf, annexIndex, "report-annex");
        Assert.True(new FileInfo(first).Length > 5000 && new FileInfo(annex).Length > 5000 && new FileInfo(annexFirst).Length > 5000);
        var annexPages = pages.Where(p => p.Contains("Chi bộ Phòng chuyên môn")).ToList();
        Assert.True(annexPages.Count >= 2, $"annex on {annexPages.Count} page(s)");
        Assert.All(annexPages, p => Assert.Matches(@"TT\s+Đơn vị", p));
        Assert.Contains("Tổng cộng", pages[^1]);
        Assert.Matches(@"^\s*2\s*$", pages[1].Split('\n').First(l => l.Trim().Length > 0));

    }

    private static string Sp(Rate r) => r.ToString().Replace('\u00A0', ' ');

    /// <summary>pdftotext breaks justified lines; compare on single spaces.</summary>
    private static string Flat(string s) => System.Text.RegularExpressions.Regex.Replace(s, @"\s+", " ");
}
