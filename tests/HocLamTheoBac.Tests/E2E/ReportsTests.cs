using HocLamTheoBac.Tests.Infrastructure;
using Microsoft.Playwright;

namespace HocLamTheoBac.Tests.E2E;

[Collection("browser")]
public sealed class ReportsTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_propaganda_board_user_drills_down_to_a_branch_issues_the_years_report_and_downloads_the_PDF()
    {
        var page = await app.NewPageAsync(390, 844);
        await BrowserFixture.SignInAsync(page, "tuyengiao@hlb.local");
        await page.GotoAsync("/Reports");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Tỉnh ủy Tuyên Quang", Exact = false }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#completionChart")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Thành ủy Tuyên Quang", Exact = true }).Last.ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Đảng ủy phường Phan Thiết", Exact = true }).Last.ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Chi bộ Tổ dân phố 1", Exact = true }).Last.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Đảng viên của chi bộ" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "reports-branch-phone");

        await page.GetByRole(AriaRole.Link, new() { Name = "Tỉnh ủy Tuyên Quang", Exact = true }).First.ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Soạn và ban hành báo cáo" }).ClickAsync();
        await page.GetByLabel("Họ tên người ký").FillAsync("Nguyễn Văn An");
        await page.GetByLabel("Ưu điểm").FillAsync("Các cấp ủy quan tâm lãnh đạo, chỉ đạo.");
        await page.GetByLabel("Hạn chế").FillAsync("Một số chi bộ cập nhật chậm.");
        await page.GetByLabel("Phương hướng năm tới").FillAsync("Tiếp tục đẩy mạnh học tập và làm theo.");
        page.Dialog += async (_, d) => await d.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ban hành báo cáo" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã ban hành Báo cáo số 1-BC/TU");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Số 1-BC/TU", Exact = false }).ClickAsync());
        var path = Path.Combine(Artifacts.Directory, "reports", "e2e-" + download.SuggestedFilename);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await download.SaveAsAsync(path);
        Assert.EndsWith(".pdf", download.SuggestedFilename);
        var text = await HocLamTheoBac.Tests.Reports.PdfText.ExtractAsync(await File.ReadAllBytesAsync(path));
        Assert.Contains("Nguyễn Văn An", text);
        Assert.Contains("Số 1-BC/TU", text);
    }
}
