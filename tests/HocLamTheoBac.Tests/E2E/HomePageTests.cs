using HocLamTheoBac.Tests.Infrastructure;
using Microsoft.Playwright;

namespace HocLamTheoBac.Tests.E2E;

[Collection("browser")]
public sealed class HomePageTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_visitor_is_sent_to_the_Vietnamese_login_page_and_after_signing_in_sees_the_home_page()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/");
        Assert.Contains("/Account/Login", page.Url);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Đăng nhập" })).ToBeVisibleAsync();

        await BrowserFixture.SignInAsync(page, "admin@hlb.local");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Xin chào, Quản trị hệ thống" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.")).ToBeVisibleAsync();
        var shot = await BrowserFixture.ScreenshotAsync(page, "home");
        Assert.True(new FileInfo(shot).Length > 1000);
    }

    /// <summary>An address of 20.000 characters (a pasted, broken link) reached Kestrel's 8 KB request line and got an
    /// empty 414: the browser showed its own English error. It now reaches the site, which answers its Vietnamese page.</summary>
    [Fact]
    public async Task A_very_long_address_gets_the_Vietnamese_page_on_the_real_server()
    {
        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "admin@hlb.local");
        var answer = await page.GotoAsync("/Members?q=" + new string('a', 20_000));
        Assert.Equal(414, answer!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Địa chỉ quá dài" })).ToBeVisibleAsync();
        // A long but ordinary address still works.
        Assert.Equal(200, (await page.GotoAsync("/Members?q=" + new string('a', 90)))!.Status);
    }
}
