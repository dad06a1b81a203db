using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace HocLamTheoBac.Tests.Infrastructure;

/// <summary>The site on a real Kestrel port plus the distribution's Chromium driven by Playwright (no browser download).</summary>
public class BrowserFixture : AppFactory
{
    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    public BrowserFixture() => UseKestrel(0);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1");
        _playwright = await Playwright.CreateAsync();
        Browser = await BrowserForAsync("vi-VN");
    }

    private readonly Dictionary<string, IBrowser> _browsers = [];

    /// <summary>One Chromium per language, started with --lang (as a user's browser in that language would be), shared by the tests.</summary>
    public async Task<IBrowser> BrowserForAsync(string lang)
    {
        if (_browsers.TryGetValue(lang, out var b)) return b;
        b = await _playwright!.Chromium.LaunchAsync(new()
        {
            ExecutablePath = File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : "/usr/lib/chromium/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", $"--lang={lang}"],
        });
        _browsers[lang] = b;
        return b;
    }

    /// <summary>A page in a fresh context of the Chromium started with --lang=<paramref name="locale"/> (en-US shows what an English browser does to dates).</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, string locale = "vi-VN")
    {
        var browser = await BrowserForAsync(locale);
        var context = await browser.NewContextAsync(new() { BaseURL = BaseUrl, ViewportSize = new() { Width = width, Height = height }, Locale = locale });
        return await context.NewPageAsync();
    }

    public static async Task SignInAsync(IPage page, string email, string password = HocLamTheoBac.Web.Data.DemoSeeder.DemoPassword)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Mật khẩu").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        // Polls the address instead of waiting for the next page's load event: that event has been missed under load
        // (a 120 s timeout with the home page already shown), and every caller navigates or asserts next anyway.
        await Assertions.Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"), new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("form[action='/Account/Logout']")).ToBeAttachedAsync(new() { Timeout = 60_000 });
    }

    /// <summary>Saves a screenshot under TestResults/screenshots for a person to look at.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var dir = Path.Combine(Artifacts.Directory, "screenshots");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        return path;
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var b in _browsers.Values) await b.CloseAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}

public static class Artifacts
{
    /// <summary>Where tests keep files for people to inspect (screenshots, rendered PDFs): HLB_ARTIFACTS or ./TestResults.</summary>
    public static string Directory =>
        Environment.GetEnvironmentVariable("HLB_ARTIFACTS") is { Length: > 0 } d ? d : Path.Combine(AppContext.BaseDirectory, "TestResults");
}

/// <summary>An empty database (a province's first install) behind the browser.</summary>
public sealed class EmptyBrowserFixture : BrowserFixture
{
    protected override bool SeedDemo => false;
}

[CollectionDefinition("browser", DisableParallelization = true)]
public sealed class BrowserCollection;
