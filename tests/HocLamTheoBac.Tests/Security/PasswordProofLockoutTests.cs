using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Account;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.Account;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Security;

/// <summary>
/// Found walking: a wrong current password on the password change never counted (38 tries, access_failed_count 0), so a
/// stolen session cookie allowed guessing the password at leisure; and enrolling an authenticator needed no password,
/// so the same cookie could enrol the attacker's. Now the page asks the password through one check that counts
/// failures and locks exactly as sign-in does (here after 3, the lowest setting).
/// </summary>
public sealed class PasswordProofLockoutTests(PasswordProofLockoutTests.Site app) : IClassFixture<PasswordProofLockoutTests.Site>
{
    public sealed class Site : AppFactory
    {
        protected override void ConfigureSettings(IWebHostBuilder builder) => builder.UseSetting("Security:LockoutAfterFailures", "3");
    }

    private Task<(int Failed, DateTimeOffset? LockoutEnd, string? Hash, bool TwoFactor)> UserAsync(string email) => app.DbAsync(async db =>
        await db.Users.Where(u => u.Email == email)
            .Select(u => new ValueTuple<int, DateTimeOffset?, string?, bool>(u.AccessFailedCount, u.LockoutEnd, u.PasswordHash, u.TwoFactorEnabled))
            .SingleAsync());

    private static Dictionary<string, string> Change(string current) =>
        new() { ["Password.Current"] = current, ["Password.New"] = "MatKhauMoi2026x", ["Password.Confirm"] = "MatKhauMoi2026x" };

    [Fact]
    public async Task Wrong_current_passwords_on_the_password_change_count_and_lock_the_account_as_sign_in_does()
    {
        const string email = "doimatkhau@hlb.local";
        await app.CreateAccountAsync(email, AppRole.Secretary, "TQ-TP-PT-TDP1");
        var client = await app.SignedInAsync(email);
        var hash = (await UserAsync(email)).Hash;

        for (var i = 1; i <= 2; i++)
        {
            var r = await client.PostFormAsync("/Account/Manage?handler=Password", Change("DoanSai" + i + "2026x"), getUrl: "/Account/Manage");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Contains(ManageModel.WrongPassword, WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
            Assert.Equal(i, (await UserAsync(email)).Failed);
        }
        await client.PostFormAsync("/Account/Manage?handler=Password", Change("DoanSai32026x"), getUrl: "/Account/Manage");
        Assert.NotNull((await UserAsync(email)).LockoutEnd);

        // Locked: even the right password changes nothing, and sign-in is refused too.
        var right = await client.PostFormAsync("/Account/Manage?handler=Password", Change(DemoSeeder.DemoPassword), getUrl: "/Account/Manage");
        Assert.Contains(ManageModel.WrongPassword, WebUtility.HtmlDecode(await right.Content.ReadAsStringAsync()));
        Assert.Equal(hash, (await UserAsync(email)).Hash);
        var signIn = await app.NewClient().PostFormAsync("/Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = DemoSeeder.DemoPassword }, getUrl: "/Account/Login");
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task Enrolling_an_authenticator_needs_the_current_password_and_wrong_ones_count()
    {
        const string email = "dangkyhaibuoc@hlb.local";
        await app.CreateAccountAsync(email, AppRole.Secretary, "TQ-TP-PT-TDP1");
        var client = await app.SignedInAsync(email);

        var none = await client.PostFormAsync("/Account/Manage?handler=Start2fa", [], getUrl: "/Account/Manage");
        Assert.Contains(ManageModel.WrongPassword, WebUtility.HtmlDecode(await none.Content.ReadAsStringAsync()));
        Assert.DoesNotContain("authenticator-key", await client.HtmlAsync("/Account/Manage"));
        await client.PostFormAsync("/Account/Manage?handler=Start2fa", new() { ["CurrentPassword"] = "DoanSai2026x" }, getUrl: "/Account/Manage");
        Assert.Equal(1, (await UserAsync(email)).Failed);
        Assert.DoesNotContain("authenticator-key", await client.HtmlAsync("/Account/Manage"));

        var start = await client.PostFormAsync("/Account/Manage?handler=Start2fa", new() { ["CurrentPassword"] = DemoSeeder.DemoPassword }, getUrl: "/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Equal(0, (await UserAsync(email)).Failed);
        var key = System.Text.RegularExpressions.Regex.Match(await client.HtmlAsync("/Account/Manage"), "<code id=\"authenticator-key\">([^<]+)</code>").Groups[1].Value.Replace(" ", "").ToUpperInvariant();
        Assert.NotEmpty(key);

        // A right code alone (what a cookie thief holding the key has) does not enrol.
        var noPassword = await client.PostFormAsync("/Account/Manage?handler=Enable2fa", new() { ["Code"] = TwoFactorTests.Totp(key, DateTimeOffset.UtcNow) }, getUrl: "/Account/Manage");
        Assert.Contains(ManageModel.WrongPassword, WebUtility.HtmlDecode(await noPassword.Content.ReadAsStringAsync()));
        Assert.False((await UserAsync(email)).TwoFactor);
        var wrong = await client.PostFormAsync("/Account/Manage?handler=Enable2fa",
            new() { ["CurrentPassword"] = "DoanSai2026x", ["Code"] = TwoFactorTests.Totp(key, DateTimeOffset.UtcNow) }, getUrl: "/Account/Manage");
        Assert.Contains(ManageModel.WrongPassword, WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync()));
        Assert.Equal(1, (await UserAsync(email)).Failed);
        Assert.False((await UserAsync(email)).TwoFactor);

        var on = await client.PostFormAsync("/Account/Manage?handler=Enable2fa",
            new() { ["CurrentPassword"] = DemoSeeder.DemoPassword, ["Code"] = TwoFactorTests.Totp(key, DateTimeOffset.UtcNow) }, getUrl: "/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, on.StatusCode);
        Assert.True((await UserAsync(email)).TwoFactor);
    }
}
