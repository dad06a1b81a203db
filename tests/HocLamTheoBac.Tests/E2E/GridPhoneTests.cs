using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Pledges;
using Microsoft.Playwright;

namespace HocLamTheoBac.Tests.E2E;

/// <summary>The secretary's grid on a 390×844 phone: no sideways scrolling of the page or the table, the filter whole, the toolbar out of the way.</summary>
[Collection("browser")]
public sealed class GridPhoneTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task On_a_phone_the_grid_page_does_not_scroll_sideways_the_filter_fits_and_the_toolbar_scrolls_away()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var page = await app.NewPageAsync(390, 844);
        await BrowserFixture.SignInAsync(page, "bithu@hlb.local");
        await page.GotoAsync($"/Pledges/Branch/{tdp1}?year={PledgeData.Year}");
        await Assertions.Expect(page.Locator(".pledge-grid")).ToBeVisibleAsync();

        var widths = await page.EvaluateAsync<int[]>("[document.scrollingElement.scrollWidth, window.innerWidth]");
        var widest = await page.EvaluateAsync<string>("""
            Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > window.innerWidth && (!e.closest('.table-responsive') || getComputedStyle(e).position === 'absolute'))
                .slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className + ' → ' + Math.round(e.getBoundingClientRect().right)).join('; ')
            """);
        Assert.True(widths[0] <= widths[1], $"scrollWidth {widths[0]} > innerWidth {widths[1]}: {widest}");

        // The table itself fits too (on a phone the member's name is not repeated on every row).
        var table = await page.EvaluateAsync<int[]>("(() => { const t = document.querySelector('.table-responsive'); return [t.scrollWidth, t.clientWidth]; })()");
        Assert.True(table[0] <= table[1], $"the grid is {table[0]} px wide in a box of {table[1]} px");

        var filter = await page.GetByRole(AriaRole.Button, new() { Name = "Lọc", Exact = true }).BoundingBoxAsync();
        Assert.NotNull(filter);
        Assert.True(filter.X >= 0 && filter.X + filter.Width <= 390, $"the Lọc button lies at {filter.X}–{filter.X + filter.Width} px");

        // Scrolled down into the table, the toolbar no longer covers the top of the screen.
        await page.EvaluateAsync("window.scrollTo(0, document.querySelector('.pledge-grid').getBoundingClientRect().top + window.scrollY + 600)");
        await page.WaitForFunctionAsync("window.scrollY > 0");
        var toolbar = await page.Locator(".grid-toolbar").BoundingBoxAsync();
        Assert.NotNull(toolbar);
        Assert.True(toolbar.Y + toolbar.Height <= 0, $"the toolbar still covers {toolbar.Y + toolbar.Height:0} px of the screen");
        await BrowserFixture.ScreenshotAsync(page, "grid-phone");

        // A member's new row opens in place on the phone too, the focus in its first box, the page still not sideways.
        await page.Locator("a.add-row").First.ClickAsync();
        await Assertions.Expect(page.Locator(".new-row textarea").First).ToBeFocusedAsync();
        var after = await page.EvaluateAsync<int[]>("[document.scrollingElement.scrollWidth, window.innerWidth]");
        Assert.True(after[0] <= after[1], $"scrollWidth {after[0]} > innerWidth {after[1]} with a row open");
        await BrowserFixture.ScreenshotAsync(page, "grid-phone-row-open");

        // Saved, the new draft can be edited: its "Sửa" sits beside the row's tick box, on the screen without scrolling
        // the table sideways (it was in the status column, the fifth).
        await page.Locator(".new-row textarea").First.FillAsync("Giúp đỡ hộ nghèo trong tổ dân phố");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu các thay đổi" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Đã lưu: thêm 1" })).ToBeVisibleAsync();
        var edit = await page.Locator("a.edit-row").First.BoundingBoxAsync();
        Assert.NotNull(edit);
        Assert.True(edit.X >= 0 && edit.X + edit.Width <= 390, $"the Sửa link lies at {edit.X}–{edit.X + edit.Width} px");
        // ... and so does its status, the link to the pledge, without swiping the table sideways.
        var status = await page.Locator(".pledge-grid tbody a.badge[href^='/Pledges/Details/']").First.BoundingBoxAsync();
        Assert.NotNull(status);
        Assert.True(status.X + status.Width <= 390, $"the row's status lies at {status.X}–{status.X + status.Width} px");
        var withPledge = await page.EvaluateAsync<int[]>("(() => { const t = document.querySelector('.table-responsive'); return [t.scrollWidth, t.clientWidth]; })()");
        Assert.True(withPledge[0] <= withPledge[1], $"with a pledge, the grid is {withPledge[0]} px wide in a box of {withPledge[1]} px");
    }
}
