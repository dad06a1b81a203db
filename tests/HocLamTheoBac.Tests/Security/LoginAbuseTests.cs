using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Pages.Account;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HocLamTheoBac.Tests.Security;

/// <summary>The site with low sign-in limits: 4 attempts per account, 8 per address, per minute.</summary>
public sealed class ThrottledFactory : AppFactory
{
    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        builder.UseSetting("Security:LoginPerAccount", "4");
        builder.UseSetting("Security:LoginPerAddress", "8");
        builder.UseSetting("Security:LoginWindowSeconds", "60");
    }
}

public sealed class LoginAbuseTests(ThrottledFactory app) : IClassFixture<ThrottledFactory>
{
    private static Dictionary<string, string> Form(string email, string password) => new() { ["Input.Email"] = email, ["Input.Password"] = password };

    [Fact]
    public async Task Repeated_attempts_on_one_account_are_answered_429_with_the_Vietnamese_page()
    {
        var client = app.NewClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var r = await client.PostFormAsync("/Account/Login", Form("bithu2@hlb.local", "SaiMatKhau123"));
            statuses.Add(r.StatusCode);
            if (r.StatusCode == HttpStatusCode.TooManyRequests)
                Assert.Contains("Bạn đã thử quá nhiều lần", await r.Content.ReadAsStringAsync());
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        // Another account from a fresh client is not affected by this account's limit (the address limit is 8).
        var other = await app.NewClient().PostFormAsync("/Account/Login", Form("bithu@hlb.local", "SaiMatKhau123"));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

}

public sealed class LoginAddressThrottleTests(ThrottledFactory app) : IClassFixture<ThrottledFactory>
{
    private static Dictionary<string, string> Form(string email, string password) => new() { ["Input.Email"] = email, ["Input.Password"] = password };

    [Fact]
    public async Task Attempts_spread_over_many_accounts_are_throttled_per_client_address()
    {
        var client = app.NewClient();
        HttpStatusCode last = HttpStatusCode.OK;
        string body = "";
        for (var i = 0; i < 12 && last != HttpStatusCode.TooManyRequests; i++)
        {
            using var r = await client.PostFormAsync("/Account/Login", Form($"doan{i}@hlb.local", "SaiMatKhau123"));
            last = r.StatusCode;
            body = await r.Content.ReadAsStringAsync();
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last);
        Assert.Contains("Quá nhiều yêu cầu", body);
        // Reading the login page is never throttled.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Login")).StatusCode);
    }
}

public sealed class SessionCookieTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static Dictionary<string, string> Form(string email, string password) => new() { ["Input.Email"] = email, ["Input.Password"] = password };

    [Fact]
    public async Task An_unknown_account_and_a_wrong_password_get_the_same_answer_word_for_word()
    {
        static string Alert(string html) => System.Text.RegularExpressions.Regex.Match(html, "<div class=\"[^\"]*alert[^\"]*\"[^>]*>(.*?)</div>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        var unknown = await (await app.NewClient().PostFormAsync("/Account/Login", Form("khongco@hlb.local", "SaiMatKhau123"))).Content.ReadAsStringAsync();
        var wrong = await (await app.NewClient().PostFormAsync("/Account/Login", Form("bithu@hlb.local", "SaiMatKhau123"))).Content.ReadAsStringAsync();
        Assert.Contains(LoginModel.InvalidCredentials, unknown);
        Assert.Equal(Alert(unknown), Alert(wrong));
    }

    [Fact]
    public async Task Over_https_every_cookie_is_secure_http_only_and_same_site()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var page = await client.GetAsync("/Account/Login");
        var html = await page.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var fields = Form("admin@hlb.local", DemoSeeder.DemoPassword);
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token);
        var signIn = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookies = page.Headers.GetValues("Set-Cookie").Concat(signIn.Headers.GetValues("Set-Cookie")).ToList();
        Assert.Contains(cookies, c => c.StartsWith("hlb.auth="));
        Assert.Contains(cookies, c => c.StartsWith("hlb.af="));
        foreach (var c in cookies)
        {
            var lower = c.ToLowerInvariant();
            Assert.True(lower.Contains("; secure") && lower.Contains("; httponly") && lower.Contains("; samesite="), $"cookie not locked down: {c}");
        }
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    public async Task Sign_in_never_redirects_to_another_site(string returnUrl)
    {
        var r = await app.NewClient().PostFormAsync("/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl), Form("bithu@hlb.local", DemoSeeder.DemoPassword), getUrl: "/Account/Login");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal("/", r.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Passwords_are_stored_as_salted_hashes_never_as_text()
    {
        var hashes = await app.DbAsync(db => db.Users.Where(u => u.Email == "bithu@hlb.local" || u.Email == "bithu2@hlb.local").Select(u => u.PasswordHash!).ToListAsync());
        Assert.Equal(2, hashes.Count);
        Assert.All(hashes, h => Assert.DoesNotContain(DemoSeeder.DemoPassword, h));
        Assert.All(hashes, h => Assert.Equal(0x01, Convert.FromBase64String(h)[0]));   // Identity v3 format: PBKDF2 with a per-password salt
        Assert.NotEqual(hashes[0], hashes[1]);                                          // same password, different salts
    }

    [Fact]
    public async Task Over_plain_http_the_session_cookie_is_still_http_only_and_same_site()
    {
        var client = app.NewClient();
        var r = await client.PostFormAsync("/Account/Login", Form("admin@hlb.local", DemoSeeder.DemoPassword));
        var auth = r.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("hlb.auth=")).ToLowerInvariant();
        Assert.Contains("; httponly", auth);
        Assert.Contains("; samesite=lax", auth);
    }

    [Fact]
    public async Task An_uploaded_import_file_leaves_nothing_under_wwwroot()
    {
        var webRoot = app.Services.GetRequiredService<IWebHostEnvironment>().WebRootPath;
        string[] Files() => Directory.EnumerateFiles(webRoot, "*", SearchOption.AllDirectories).Order().ToArray();
        var before = Files();
        var org = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var client = await app.SignedInAsync("admin@hlb.local");
        var page = await client.GetStringAsync($"/Members/Import?org={org}");
        var form = SiteCrawler.Forms(new PageVisit($"/Members/Import?org={org}", HttpStatusCode.OK, "text/html", new Dictionary<string, string>(), page))
            .Single(f => f.Multipart);
        var r = await SiteCrawler.PostAsync(client, form, form.ValidValues(), fileContent: "Họ và tên,Ngày sinh\nNguyễn Văn Tải,01/01/1980\n");
        Assert.True((int)r.StatusCode < 500);
        Assert.Equal(before, Files());
        // No code writes into the web root at all (evidence files of later features included).
        var webSources = Path.GetFullPath(Path.Combine(webRoot, ".."));
        var offenders = Directory.EnumerateFiles(webSources, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/"))
            .Where(f => System.Text.RegularExpressions.Regex.IsMatch(File.ReadAllText(f), @"WebRootPath|WebRootFileProvider|\""wwwroot"))
            .ToList();
        Assert.True(offenders.Count == 0, "code that touches wwwroot: " + string.Join(", ", offenders));
    }
}
