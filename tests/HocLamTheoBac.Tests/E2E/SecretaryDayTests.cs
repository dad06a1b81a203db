using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Pledges;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HocLamTheoBac.Tests.E2E;

/// <summary>A secretary's day on the grid, in a Vietnamese and an English Chromium (--lang): nothing typed is lost, dates stay dd/mm/yyyy.</summary>
[Collection("browser")]
public sealed class SecretaryDayTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData("vi-VN", 18)]
    [InlineData("en-US", 21)]
    public async Task The_secretary_registers_edits_then_approves_in_one_go_records_results_at_the_meeting_and_undoes_one(string locale, int firstMember)
    {
        var year = PledgeData.Year;
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var m = (await app.MembersAsync("TQ-TP-PT-TDP1")).Skip(firstMember).Take(3).ToList();
        var edited = await app.AddPledgeAsync(m[0].Id, PledgeStatus.Submitted, $"Bản nháp {locale}");
        var atMeeting = await app.AddPledgeAsync(m[1].Id, PledgeStatus.Approved, $"Không dùng ứng dụng {locale}");

        var page = await app.NewPageAsync(locale: locale);
        page.Context.SetDefaultTimeout(120_000);
        var dialogs = new List<string>();
        page.Dialog += async (_, d) => { dialogs.Add($"{d.Type}: {d.Message}"); await d.AcceptAsync(); };
        await BrowserFixture.SignInAsync(page, "bithu@hlb.local");
        await page.GotoAsync($"/Pledges/Branch/{tdp1}?year={year}");

        // Rows are text: "Thêm việc làm theo" opens a new row for the member, with the focus in it.
        await page.Locator($"#m-{m[2].Id} a.add-row").ClickAsync();
        await Assertions.Expect(page.Locator($"#nc-{m[2].Id}")).ToBeFocusedAsync();
        // Register a pledge for a member, with a deadline typed day first whatever the browser's language.
        await page.Locator($"#nc-{m[2].Id}").FillAsync($"Vận động 6 hộ lắp đèn chiếu sáng ngõ xóm {locale}");
        await page.Locator($"#nd-{m[2].Id}").FillAsync($"5/11/{year}");
        await page.Locator($"#nd-{m[2].Id}").BlurAsync();
        await Assertions.Expect(page.Locator($"#nd-{m[2].Id}")).ToHaveValueAsync($"05/11/{year}");
        Assert.Equal("text", await page.Locator($"#nd-{m[2].Id}").GetAttributeAsync("type"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu các thay đổi" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Đã lưu: thêm 1, sửa 0 việc làm theo." })).ToBeVisibleAsync();
        var registered = await app.DbAsync(db => db.Pledges.SingleAsync(p => p.Content == $"Vận động 6 hộ lắp đèn chiếu sáng ngõ xóm {locale}"));
        Assert.Equal(new DateOnly(year, 11, 5), registered.Deadline);
        await Assertions.Expect(page.Locator($"#p-{registered.Id} .g-d")).ToHaveTextAsync($"05/11/{year}");

        // Edit a pledge's text by keyboard only: "Sửa" opens the row in place with its text, Enter on the link, focus in the box.
        await page.Locator($"#p-{edited} a.edit-row").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator($"#c-{edited}")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator($"#c-{edited}")).ToHaveValueAsync($"Bản nháp {locale}");
        await Assertions.Expect(page.Locator($"#d-{edited}")).ToHaveValueAsync($"31/12/{year}");
        await BrowserFixture.ScreenshotAsync(page, $"grid-desk-row-open-{locale}");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync($"Bản đã sửa rồi duyệt {locale}");
        // Tick it, approve: the edit is saved with the approval.
        await page.Locator($"#sel-{edited}").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Duyệt mục đã chọn" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Duyệt: 1 việc làm theo. Đã lưu kèm: thêm 0, sửa 1." })).ToBeVisibleAsync();
        Assert.Contains(dialogs, d => d.StartsWith("confirm: Duyệt các việc làm theo đã chọn?"));
        var saved = await app.PledgeAsync(edited);
        Assert.Equal((PledgeStatus.Approved, $"Bản đã sửa rồi duyệt {locale}"), (saved.Status, saved.Content));

        // At the branch meeting: the member never used the app; the secretary records the result.
        await page.Locator($"#sel-{atMeeting}").CheckAsync();
        await page.GetByLabel("Lý do / ghi chú").FillAsync("Báo cáo miệng tại buổi sinh hoạt");
        await page.GetByRole(AriaRole.Button, new() { Name = "Hoàn thành (xác nhận tại sinh hoạt chi bộ)" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Xác nhận hoàn thành tại sinh hoạt chi bộ: 1 việc làm theo." })).ToBeVisibleAsync();
        Assert.Equal(PledgeStatus.Done, (await app.PledgeAsync(atMeeting)).Status);

        // …and undoes it from the pledge's page, with a reason.
        await page.GotoAsync($"/Pledges/Details/{atMeeting}");
        await page.Locator("#note-Reopen").FillAsync("Ghi nhầm người");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mở lại" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Đã duyệt");

        // Leaving with unsaved text asks first.
        await page.GotoAsync($"/Pledges/Branch/{tdp1}?year={year}");
        await page.Locator($"#m-{m[2].Id} a.add-row").ClickAsync();
        await page.Locator($"#nc-{m[2].Id}").PressSequentiallyAsync("Chưa lưu");
        await page.CloseAsync(new() { RunBeforeUnload = true });
        await WaitForAsync(() => dialogs.Any(d => d.StartsWith("beforeunload")));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail("the browser did not warn before leaving with unsaved changes");
            await Task.Delay(50);
        }
    }
}
