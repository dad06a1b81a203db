using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.Account;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace HocLamTheoBac.Tests.Security;

/// <summary>
/// Issue 13, medium finding: sign-in told real accounts from unknown ones (93 ms vs 6 ms; a lockout message
/// only for real accounts), and five posts locked any account, the administrator's included, for 15 minutes.
/// </summary>
public sealed class SignInProbingTests(SignInProbingTests.Site app) : IClassFixture<SignInProbingTests.Site>
{
    /// <summary>Counts password-hash verifications: the costly step whose absence made unknown accounts fast.</summary>
    public sealed class CountingHasher : IPasswordHasher<AppUser>
    {
        private readonly PasswordHasher<AppUser> _inner = new();
        public int Verifications;
        public string HashPassword(AppUser user, string password) => _inner.HashPassword(user, password);
        public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref Verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    public sealed class Site : AppFactory
    {
        public CountingHasher Hasher { get; } = new();

        protected override void ConfigureSettings(IWebHostBuilder builder)
        {
            builder.UseSetting("Security:LockoutAfterFailures", "3");
            builder.ConfigureTestServices(s => s.AddSingleton<IPasswordHasher<AppUser>>(Hasher));
        }
    }

    private static Dictionary<string, string> Form(string email, string password) => new() { ["Input.Email"] = email, ["Input.Password"] = password };

    private static string Alert(string html) => System.Text.RegularExpressions.Regex.Match(html, "<div[^>]*validation-summary[^>]*>.*?</div>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;

    [Fact]
    public async Task An_unknown_account_costs_the_same_password_hash_and_gets_the_same_words_as_a_wrong_password()
    {
        var client = app.NewClient();
        var before = app.Hasher.Verifications;
        var unknown = await (await client.PostFormAsync("/Account/Login", Form("khong.ton.tai@hlb.local", "SaiMatKhau123"))).Content.ReadAsStringAsync();
        var afterUnknown = app.Hasher.Verifications;
        var wrong = await (await client.PostFormAsync("/Account/Login", Form("bithu2@hlb.local", "SaiMatKhau123"))).Content.ReadAsStringAsync();
        Assert.Equal(1, afterUnknown - before);
        Assert.Equal(1, app.Hasher.Verifications - afterUnknown);
        Assert.Contains(LoginModel.InvalidCredentials, unknown);
        Assert.Equal(Alert(unknown), Alert(wrong));
    }

    [Fact]
    public async Task A_locked_account_answers_like_a_wrong_password_and_stays_locked_until_an_administrator_lifts_it()
    {
        var id = await app.CreateAccountAsync("bi.tan.cong@hlb.local", AppRole.Staff, "TQ-YS");
        var attacker = app.NewClient();
        for (var i = 0; i < 3; i++) await attacker.PostFormAsync("/Account/Login", Form("bi.tan.cong@hlb.local", "SaiMatKhau123"));

        var owner = app.NewClient();
        var locked = await owner.PostFormAsync("/Account/Login", Form("bi.tan.cong@hlb.local", DemoSeeder.DemoPassword));
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        var unknown = await owner.PostFormAsync("/Account/Login", Form("khong.co.ai@hlb.local", DemoSeeder.DemoPassword));
        Assert.Equal(Alert(await unknown.Content.ReadAsStringAsync()), Alert(await locked.Content.ReadAsStringAsync()));

        var admin = await app.SignedInAsync("admin@hlb.local");
        var unlock = await admin.PostFormAsync($"/Users/Edit/{id}?handler=Unlock", [], getUrl: $"/Users/Edit/{id}");
        Assert.Equal(HttpStatusCode.Redirect, unlock.StatusCode);
        await app.SignedInAsync("bi.tan.cong@hlb.local");
    }
}
