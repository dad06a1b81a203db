using System.Net;
using System.Text.RegularExpressions;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Account;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Security;

/// <summary>
/// Issue 13 (low): a copied session cookie kept working for up to a minute after sign-out or a password change, and
/// two-step sign-in could be turned off with the session cookie alone.
/// </summary>
public sealed class SessionEndTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string NewPassword = "DoiMatKhau2026moi";

    /// <summary>Signs in through the form; returns the signed-in client and the session cookie as an attacker would copy it.</summary>
    private async Task<(HttpClient Client, string Cookie)> SignInAsync(string email, string password = DemoSeeder.DemoPassword)
    {
        var client = app.NewClient();
        var r = await client.PostFormAsync("/Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var cookie = r.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("hlb.auth=", StringComparison.Ordinal));
        return (client, cookie);
    }

    /// <summary>Another browser that carries only the copied cookie.</summary>
    private HttpClient Copy(string cookie)
    {
        var c = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        c.DefaultRequestHeaders.Add("Cookie", cookie);
        return c;
    }

    private static async Task AssertSignedOutAsync(HttpClient c)
    {
        var r = await c.GetAsync("/Orgs");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Contains("/Account/Login", r.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Signing_out_ends_a_copied_cookie_on_its_very_next_request()
    {
        await app.CreateAccountAsync("dangxuat@hlb.local", AppRole.Secretary, "TQ-TP-PT-TDP1");
        var (browser, cookie) = await SignInAsync("dangxuat@hlb.local");
        var copy = Copy(cookie);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/Orgs")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/Account/Logout", [], getUrl: "/Account/Logout")).StatusCode);
        await AssertSignedOutAsync(copy);
        await AssertSignedOutAsync(browser);
    }

    [Fact]
    public async Task Changing_the_password_ends_every_other_session_at_once_and_keeps_the_one_that_changed_it()
    {
        await app.CreateAccountAsync("doimatkhau@hlb.local", AppRole.Secretary, "TQ-TP-PT-TDP1");
        var (desk, _) = await SignInAsync("doimatkhau@hlb.local");
        var (_, phoneCookie) = await SignInAsync("doimatkhau@hlb.local");
        var phone = Copy(phoneCookie);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/Orgs")).StatusCode);

        var change = await desk.PostFormAsync("/Account/Manage?handler=Password",
            new() { ["Password.Current"] = DemoSeeder.DemoPassword, ["Password.New"] = NewPassword, ["Password.Confirm"] = NewPassword }, getUrl: "/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
        await AssertSignedOutAsync(phone);
        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync("/Orgs")).StatusCode);
    }

    [Fact]
    public async Task Turning_two_step_sign_in_off_needs_the_current_password_or_a_current_code()
    {
        const string email = "haibuoc@hlb.local";
        await app.CreateAccountAsync(email, AppRole.Secretary, "TQ-TP-PT-TDP1");
        var (client, _) = await SignInAsync(email);
        await client.PostFormAsync("/Account/Manage?handler=Start2fa", new() { ["CurrentPassword"] = DemoSeeder.DemoPassword }, getUrl: "/Account/Manage");
        var key = Regex.Match(await client.HtmlAsync("/Account/Manage"), "<code id=\"authenticator-key\">([^<]+)</code>").Groups[1].Value.Replace(" ", "").ToUpperInvariant();
        Assert.NotEmpty(key);
        Task<HttpResponseMessage> Enable() =>
            client.PostFormAsync("/Account/Manage?handler=Enable2fa", new() { ["CurrentPassword"] = DemoSeeder.DemoPassword, ["Code"] = TwoFactorTests.Totp(key, DateTimeOffset.UtcNow) }, getUrl: "/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, (await Enable()).StatusCode);
        Task<bool> Enabled() => app.DbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.TwoFactorEnabled).SingleAsync());
        Assert.True(await Enabled());
        // Turning it on changed the stamp: the session that did it goes on.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Manage")).StatusCode);

        foreach (var proof in new[] { null, "", "SaiMatKhau2026", "000000" })
        {
            var fields = new Dictionary<string, string>();
            if (proof is not null) fields["Proof"] = proof;
            var refused = await client.PostFormAsync("/Account/Manage?handler=Disable2fa", fields, getUrl: "/Account/Manage");
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("hãy nhập đúng mật khẩu hiện tại hoặc mã 6 chữ số", await refused.Content.ReadAsStringAsync());
            Assert.True(await Enabled());
        }

        var byPassword = await client.PostFormAsync("/Account/Manage?handler=Disable2fa", new() { ["Proof"] = DemoSeeder.DemoPassword }, getUrl: "/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, byPassword.StatusCode);
        Assert.False(await Enabled());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Manage")).StatusCode);

        await client.PostFormAsync("/Account/Manage?handler=Start2fa", new() { ["CurrentPassword"] = DemoSeeder.DemoPassword }, getUrl: "/Account/Manage");
        key = Regex.Match(await client.HtmlAsync("/Account/Manage"), "<code id=\"authenticator-key\">([^<]+)</code>").Groups[1].Value.Replace(" ", "").ToUpperInvariant();
        Assert.Equal(HttpStatusCode.Redirect, (await Enable()).StatusCode);
        var byCode = await client.PostFormAsync("/Account/Manage?handler=Disable2fa", new() { ["Proof"] = TwoFactorTests.Totp(key, DateTimeOffset.UtcNow) }, getUrl: "/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, byCode.StatusCode);
        Assert.False(await Enabled());
    }
}
