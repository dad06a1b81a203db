using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Reports;
using HocLamTheoBac.Web.Reports.Pdf;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>Page images of a report for people to look at: page 1, the first annex page, the signature page and the last page.</summary>
public static class ReportImages
{
    public const string Folder = "reports/examples";

    public static async Task<IReadOnlyList<string>> WriteAsync(byte[] pdf, IReadOnlyList<PdfPageWords> pages, string name)
    {
        var annex = pages.First(p => p.Landscape).Number;
        var signature = pages.Last(p => p.Words.Any(w => w.Text == "Nơi")).Number;
        var files = new List<string>
        {
            await PdfText.RenderPngAsync(pdf, 1, $"{name}-page1", 80, Folder),
            await PdfText.RenderPngAsync(pdf, signature, $"{name}-signature", 80, Folder),
            await PdfText.RenderPngAsync(pdf, annex, $"{name}-annex", 80, Folder),
            await PdfText.RenderPngAsync(pdf, pages.Count, $"{name}-last", 80, Folder),
        };
        return files;
    }
}

/// <summary>The year-end reports of a ward, a district and a province of the report data set, rendered for the docs.</summary>
public sealed class ReportImagesTests(LargeReportAppFactory app) : IClassFixture<LargeReportAppFactory>
{
    [Theory]
    [InlineData("TQ-TP-PT", "ward")]
    [InlineData("TQ-YS", "district")]
    [InlineData("TQ", "province")]
    public async Task Each_level_renders_without_overlapping_words_and_its_pages_are_written_as_images(string code, string name)
    {
        var pdf = await app.DbAsync(async db =>
        {
            var unit = await db.OrgUnits.SingleAsync(u => u.Code == code);
            var draft = await YearEndReports.DraftAsync(db, unit, ReportData.Year, CancellationToken.None);
            draft.LeadershipText = "Ngay từ đầu năm, cấp ủy đã ban hành kế hoạch, hướng dẫn các chi bộ xây dựng kế hoạch tập thể và cá nhân gắn với nhiệm vụ chính trị của đơn vị.";
            draft.Strengths = "Việc học tập và làm theo Bác được triển khai đồng bộ, gắn với sinh hoạt chi bộ định kỳ; nhiều việc làm cụ thể, thiết thực được nhân dân ghi nhận.";
            draft.Limitations = "Một số chi bộ đăng ký việc làm theo còn chung chung, chưa gắn với chức trách, nhiệm vụ; việc theo dõi, đánh giá kết quả có nơi chưa thường xuyên.";
            draft.Direction = "Tiếp tục đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh gắn với thực hiện nhiệm vụ chính trị năm 2026.\nNhân rộng các mô hình, điển hình tiêu biểu; kịp thời biểu dương, khen thưởng.";
            draft.SignerName = "Nguyễn Văn An";
            await db.SaveChangesAsync();
            var model = await YearEndReports.ModelAsync(db, unit, draft, new DateOnly(2025, 12, 20), CancellationToken.None);
            return ReportDocument.Render(model);
        });
        var pages = await PdfWords.ReadAsync(pdf);
        var overlaps = PdfWords.Overlaps(pages);
        Assert.True(overlaps.Count == 0, "overlapping words: " + string.Join("; ", overlaps.Take(5).Select(o => $"p{o.A.Page} '{o.A.Text}'/'{o.B.Text}'")));
        foreach (var file in await ReportImages.WriteAsync(pdf, pages, name))
            Assert.True(new FileInfo(file).Length > 10_000, file);
    }
}
