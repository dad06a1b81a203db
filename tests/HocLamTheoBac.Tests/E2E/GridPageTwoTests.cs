using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Pledges;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HocLamTheoBac.Tests.E2E;

/// <summary>
/// The grid's rows on page 2 of a large branch, in Chromium at a desk and on a touch phone: what pledges.js reads from the
/// markup since session 19 (the row's pledge from its "p-" id, the member's from the group's "m-" id, the name from the
/// header's "mn-" span; no data attributes a link) opens that row's editor in place with its version and names, "Thêm" adds
/// the member's row, select-all ticks the page's boxes, and the row's hint link (named by its row) leads to the legend.
/// </summary>
[Collection("browser")]
public sealed class GridPageTwoTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task On_page_2_the_rows_editor_new_row_select_all_and_hint_link_work_at_a_desk_and_by_touch()
    {
        var year = PledgeData.Year;
        var tdp5 = await app.TwoPageBranchAsync();
        var url = $"/Pledges/Branch/{tdp5}?year={year}&pg=2";

        var desk = await app.NewPageAsync(1280, 800);
        desk.Context.SetDefaultTimeout(120_000);
        await BrowserFixture.SignInAsync(desk, PledgeData.TwoPageSecretary);
        await desk.GotoAsync(url);
        var member = int.Parse((await desk.Locator("tbody.member-group").Nth(1).GetAttributeAsync("id"))![2..]);
        var name = await app.DbAsync(db => db.Members.Where(m => m.Id == member).Select(m => m.FullName).SingleAsync());
        var id = await app.AddPledgeAsync(member, PledgeStatus.Submitted, "Thực hiện tốt nhiệm vụ được giao");
        await app.DbAsync(db => db.Pledges.Where(p => p.Id == id).ExecuteUpdateAsync(x => x.SetProperty(p => p.Solution, (string?)null)));
        var version = (await app.PledgeAsync(id)).Version;
        await desk.GotoAsync(url);
        await Assertions.Expect(desk.GetByText("Trang 2/").First).ToBeVisibleAsync();

        // Select all ticks every box of the page, and clears them again.
        var boxes = desk.Locator("input[name='Input.Selected']");
        Assert.True(await boxes.CountAsync() > 0);
        await desk.Locator("#select-all").CheckAsync();
        Assert.Equal(await boxes.CountAsync(), await desk.Locator("input[name='Input.Selected']:checked").CountAsync());
        await desk.Locator("#select-all").UncheckAsync();
        Assert.Equal(0, await desk.Locator("input[name='Input.Selected']:checked").CountAsync());

        // The row's hint link is named by its hint and its row, and leads to the legend's item.
        var hint = desk.GetByRole(AriaRole.Link, new() { Name = $"Gợi ý Chưa kiểm đếm được cho việc làm theo Thực hiện tốt nhiệm vụ được giao của {name}", Exact = true });
        await hint.ClickAsync();
        Assert.EndsWith("#hint-3", desk.Url);
        await Assertions.Expect(desk.Locator("#hint-3")).ToBeInViewportAsync();
        await Assertions.Expect(desk.Locator("#hint-3")).ToContainTextAsync("Chưa có nội dung kiểm đếm được.");

        // "Sửa" opens this row in place: its text, its version, boxes named with the member's name; the check box keeps its name.
        await desk.GetByRole(AriaRole.Link, new() { Name = $"Sửa việc làm theo của {name}", Exact = true }).ClickAsync();
        await Assertions.Expect(desk.Locator($"#c-{id}")).ToBeFocusedAsync();
        await Assertions.Expect(desk.GetByLabel($"Nội dung việc làm theo của {name}", new() { Exact = true })).ToHaveValueAsync("Thực hiện tốt nhiệm vụ được giao");
        await Assertions.Expect(desk.Locator($"#p-{id} input[name$='.Version']")).ToHaveValueAsync(version.ToString());
        await Assertions.Expect(desk.GetByRole(AriaRole.Checkbox, new() { Name = $"Chọn việc làm theo Thực hiện tốt nhiệm vụ được giao của {name}", Exact = true })).ToBeVisibleAsync();
        await desk.Locator($"#c-{id}").FillAsync("Mỗi tháng 2 buổi trực đường dây nóng của tổ");

        // "Thêm" adds the member's new row, named with the member's name, the focus in it.
        await desk.GetByRole(AriaRole.Link, new() { Name = $"Thêm việc làm theo cho {name}", Exact = true }).ClickAsync();
        await Assertions.Expect(desk.GetByLabel($"Việc làm theo mới của {name}", new() { Exact = true })).ToBeFocusedAsync();
        await desk.Locator($"#nc-{member}").FillAsync("Vận động 5 hộ phân loại rác mỗi tuần");
        await BrowserFixture.ScreenshotAsync(desk, "grid-page2-desk-open");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Lưu các thay đổi" }).First.ClickAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Status).Filter(new() { HasText = "Đã lưu: thêm 1, sửa 1 việc làm theo." })).ToBeVisibleAsync();
        Assert.Equal("Mỗi tháng 2 buổi trực đường dây nóng của tổ", (await app.PledgeAsync(id)).Content);
        Assert.True(await app.DbAsync(db => db.Pledges.AnyAsync(p => p.MemberId == member && p.Content == "Vận động 5 hộ phân loại rác mỗi tuần")));
        Assert.Contains("pg=2", desk.Url);

        // By touch on a phone: "Sửa" on page 2 opens the row in place, the page not sideways.
        var browser = await app.BrowserForAsync("vi-VN");
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, ViewportSize = new() { Width = 390, Height = 844 }, Locale = "vi-VN", HasTouch = true, IsMobile = true, DeviceScaleFactor = 1,
        });
        var phone = await context.NewPageAsync();
        phone.Context.SetDefaultTimeout(120_000);
        await BrowserFixture.SignInAsync(phone, PledgeData.TwoPageSecretary);
        await phone.GotoAsync(url);
        await phone.Locator($"#p-{id} a.edit-row").TapAsync();
        await Assertions.Expect(phone.Locator($"#c-{id}")).ToBeFocusedAsync();
        await Assertions.Expect(phone.Locator($"#c-{id}")).ToHaveValueAsync("Mỗi tháng 2 buổi trực đường dây nóng của tổ");
        await phone.Locator($"#m-{member} a.add-row").TapAsync();
        await Assertions.Expect(phone.GetByLabel($"Việc làm theo mới của {name}", new() { Exact = true })).ToBeFocusedAsync();
        Assert.True(await phone.EvaluateAsync<bool>("document.scrollingElement.scrollWidth <= window.innerWidth"), "the grid scrolls sideways at 390 px with rows open");
        await BrowserFixture.ScreenshotAsync(phone, "grid-page2-phone-open");
    }
}
