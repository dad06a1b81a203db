using Deque.AxeCore.Playwright;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Pledges;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HocLamTheoBac.Tests.E2E;

/// <summary>Issue 18's pages in Chromium at desk and phone sizes: hints on the grid and "my pledges", sheet links, the review page with grades.</summary>
[Collection("browser")]
public sealed class BeyondPagesTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id} ({v.Impact}): {v.Help}").ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }

    [Fact]
    public async Task A_secretary_sees_hints_prints_sheets_and_records_grades_and_a_member_sees_hints_on_a_phone()
    {
        var year = PledgeData.Year;
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var me = await app.DemoMemberIdAsync();
        var generic = await app.AddPledgeAsync(me, PledgeStatus.Submitted, "Thực hiện tốt nhiệm vụ được giao");
        // No solution: nothing in the pledge can be counted or dated.
        await app.DbAsync(db => db.Pledges.Where(p => p.Id == generic).ExecuteUpdateAsync(s => s.SetProperty(p => p.Solution, (string?)null)));

        var desk = await app.NewPageAsync();
        desk.Context.SetDefaultTimeout(120_000);
        await BrowserFixture.SignInAsync(desk, "bithu@hlb.local");
        await desk.GotoAsync($"/Pledges/Branch/{tdp1}?year={year}");
        await Assertions.Expect(desk.GetByText("Chưa có nội dung kiểm đếm được").First).ToBeVisibleAsync();
        // The hint's link is named by its hint and its row, not "Gợi ý" alone (each row's links would read the same).
        var memberName = await app.DbAsync(db => db.Members.Where(m => m.Id == me).Select(m => m.FullName).SingleAsync());
        await Assertions.Expect(desk.GetByRole(AriaRole.Link, new() { Name = $"Gợi ý Chưa kiểm đếm được cho việc làm theo Thực hiện tốt nhiệm vụ được giao của {memberName}", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Link, new() { Name = "In phiếu đăng ký (PDF)" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(desk, "beyond-grid-hints");

        await desk.GetByRole(AriaRole.Link, new() { Name = "Tổng hợp kiểm điểm, xếp loại đảng viên" }).ClickAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Heading, new() { Name = $"Tổng hợp phục vụ kiểm điểm, đánh giá, xếp loại đảng viên năm {year}" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(desk);
        await desk.Locator($"#g-{me}").SelectOptionAsync("Good");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Lưu xếp loại" }).ClickAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Status).Filter(new() { HasText = "Đã ghi nhận xếp loại" })).ToBeVisibleAsync();
        await Assertions.Expect(desk.Locator($"#g-{me}")).ToHaveValueAsync("Good");
        await BrowserFixture.ScreenshotAsync(desk, "beyond-review-desk");

        var phone = await app.NewPageAsync(360, 740);
        phone.Context.SetDefaultTimeout(120_000);
        await BrowserFixture.SignInAsync(phone, "bithu@hlb.local");
        await phone.GotoAsync($"/Reviews/Branch/{tdp1}/{year}");
        await Assertions.Expect(phone.Locator($"#g-{me}")).ToBeVisibleAsync();
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the review page scrolls sideways at 360 px");
        await BrowserFixture.ScreenshotAsync(phone, "beyond-review-phone");

        var member = await app.NewPageAsync(360, 740);
        member.Context.SetDefaultTimeout(120_000);
        await BrowserFixture.SignInAsync(member, "dangvien@hlb.local");
        await member.GotoAsync($"/Pledges/Member/{me}/{year}");
        await Assertions.Expect(member.GetByText("Chưa có nội dung kiểm đếm được").First).ToBeVisibleAsync();
        await member.GotoAsync($"/Pledges/Mine?year={year}");
        await Assertions.Expect(member.GetByText("Gợi ý để việc làm theo cụ thể, kiểm tra được").First).ToBeVisibleAsync();
        Assert.True(await member.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "my pledges scrolls sideways at 360 px");
        await AssertAccessibleAsync(member);
        await BrowserFixture.ScreenshotAsync(member, "beyond-mine-phone");
    }
}
