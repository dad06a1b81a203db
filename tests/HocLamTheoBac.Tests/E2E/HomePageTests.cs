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
}
