using Deque.AxeCore.Playwright;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Pledges;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HocLamTheoBac.Tests.E2E;

[Collection("browser")]
public sealed class PledgeFlowTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id} ({v.Impact}): {v.Help} – {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }

    [Fact]
    public async Task A_secretary_registers_and_approves_three_pledges_a_member_reports_one_done_on_a_phone_and_the_branch_shows_1_of_3_done()
    {
        var year = PledgeData.Year;
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var me = await app.DemoMemberIdAsync();
        var others = (await app.MembersAsync("TQ-TP-PT-TDP1")).Where(m => m.Id != me).Skip(2).Take(2).ToList();
        var ids = new[] { me, others[0].Id, others[1].Id };

        var secretary = await app.NewPageAsync();
        // The shared 2-core machine can be slow under a full parallel run: allow generous waits (no timed asserts).
        secretary.Context.SetDefaultTimeout(120_000);
        var confirmations = new List<string>();
        secretary.Dialog += async (_, d) => { confirmations.Add(d.Message); await d.AcceptAsync(); };
        await BrowserFixture.SignInAsync(secretary, "bithu@hlb.local");
        await secretary.GotoAsync($"/Pledges/Branch/{tdp1}?year={year}");
        await Assertions.Expect(secretary.GetByRole(AriaRole.Heading, new() { Name = $"Việc làm theo năm {year} – Chi bộ Tổ dân phố 1" })).ToBeVisibleAsync();
        string[] contents = ["Vận động gia đình phân loại rác tại nguồn", "Tham gia dọn vệ sinh khu phố mỗi sáng Chủ nhật", "Đọc và làm theo một câu chuyện về Bác mỗi tháng"];
        for (var i = 0; i < 3; i++)
        {
            await secretary.Locator($"#m-{ids[i]} a.add-row").ClickAsync();
            await secretary.Locator($"#nc-{ids[i]}").FillAsync(contents[i]);
            await secretary.Locator($"#ns-{ids[i]}").FillAsync("Tự giác thực hiện, báo cáo tại buổi sinh hoạt chi bộ");
        }
        await secretary.GetByRole(AriaRole.Button, new() { Name = "Lưu các thay đổi" }).First.ClickAsync();
        await Assertions.Expect(secretary.GetByRole(AriaRole.Status).Filter(new() { HasText = "Đã lưu: thêm 3" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(secretary);
        await BrowserFixture.ScreenshotAsync(secretary, "pledges-grid-registered");

        await secretary.GetByLabel("Chọn tất cả").CheckAsync();
        await secretary.GetByRole(AriaRole.Button, new() { Name = "Duyệt mục đã chọn" }).ClickAsync();
        await Assertions.Expect(secretary.GetByRole(AriaRole.Status).Filter(new() { HasText = "Duyệt: 3 việc làm theo." })).ToBeVisibleAsync();
        Assert.Contains(confirmations, c => c.StartsWith("Duyệt các việc làm theo đã chọn?"));
        await Assertions.Expect(secretary.GetByTestId("done-count")).ToHaveTextAsync("0/3");

        var phone = await app.NewPageAsync(360, 740);
        phone.Context.SetDefaultTimeout(120_000);
        await BrowserFixture.SignInAsync(phone, "dangvien@hlb.local");
        await phone.GotoAsync($"/Pledges/Mine?year={year}");
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = contents[0] })).ToBeVisibleAsync();
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the member page scrolls sideways at 360 px");
        await AssertAccessibleAsync(phone);
        await phone.GetByLabel("Ghi chú kết quả").FillAsync("Cả gia đình đã phân loại rác được 3 tháng");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Báo cáo hoàn thành" }).ClickAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Status).Filter(new() { HasText = "Đã báo cáo hoàn thành" })).ToBeVisibleAsync();
        await Assertions.Expect(phone.GetByText("Kết quả đã báo cáo: Cả gia đình đã phân loại rác được 3 tháng")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(phone, "pledges-member-360");

        await secretary.GotoAsync($"/Pledges/Branch/{tdp1}?year={year}&filter=ReportedDone");
        await Assertions.Expect(secretary.GetByText("Kết quả: Cả gia đình đã phân loại rác được 3 tháng")).ToBeVisibleAsync();
        await secretary.GetByLabel("Chọn tất cả").CheckAsync();
        await secretary.GetByRole(AriaRole.Button, new() { Name = "Xác nhận hoàn thành mục đã chọn" }).ClickAsync();
        await Assertions.Expect(secretary.GetByTestId("done-count")).ToHaveTextAsync("1/3");
        await BrowserFixture.ScreenshotAsync(secretary, "pledges-grid-verified");

        await secretary.GotoAsync($"/Pledges?year={year}");
        await Assertions.Expect(secretary.GetByRole(AriaRole.Row).Filter(new() { HasText = "Chi bộ Tổ dân phố 1" })).ToContainTextAsync("1/3");
        var done = await app.DbAsync(db => db.Pledges.Where(p => p.BranchId == tdp1 && p.Year == year && p.Status == Web.Domain.PledgeStatus.Done).Select(p => p.MemberId).ToListAsync());
        Assert.Equal([me], done);
    }
}
