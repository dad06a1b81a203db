using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Account;

public sealed class TwoFactorTests(AppFactory app) : IClassFixture<AppFactory>
{
    /// <summary>RFC 6238 code for a base32 key, as an authenticator app computes it.</summary>
    internal static string Totp(string base32Key, DateTimeOffset at)
    {
        var key = Base32(base32Key.Replace(" ", "").ToUpperInvariant());
        var counter = BitConverter.GetBytes(at.ToUnixTimeSeconds() / 30);
        if (BitConverter.IsLittleEndian) Array.Reverse(counter);
        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0f;
        var code = ((hash[offset] & 0x7f) << 24 | hash[offset + 1] << 16 | hash[offset + 2] << 8 | hash[offset + 3]) % 1_000_000;
        return code.ToString("D6");
    }

    private static byte[] Base32(string s)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0; var value = 0; var output = new List<byte>();
        foreach (var c in s.TrimEnd('='))
        {
            value = (value << 5) | alphabet.IndexOf(c);
            bits += 5;
            if (bits >= 8) { output.Add((byte)(value >> (bits - 8))); bits -= 8; }
        }
        return output.ToArray();
    }

    private Task<string?> StampAsync(string email) =>
        app.DbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.SecurityStamp).SingleAsync());

    [Fact]
    public async Task Opening_the_account_page_changes_nothing_and_enrolment_shows_a_QR_code_of_the_key_without_signing_out_other_devices()
    {
        const string email = "bithu@hlb.local";
        var phone = await app.SignedInAsync(email);
        var desk = await app.SignedInAsync(email);
        var stamp = await StampAsync(email);
        var first = await desk.HtmlAsync("/Account/Manage");
        Assert.DoesNotContain("authenticator-key", first);
        Assert.Contains("Bắt đầu bật xác thực hai bước", first);
        Assert.Equal(stamp, await StampAsync(email));

        var start = await desk.PostFormAsync("/Account/Manage?handler=Start2fa", new() { ["CurrentPassword"] = DemoSeeder.DemoPassword }, getUrl: "/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Equal(stamp, await StampAsync(email));
        var manage = await desk.HtmlAsync("/Account/Manage");
        var key = Regex.Match(manage, "<code id=\"authenticator-key\">([^<]+)</code>").Groups[1].Value.Replace(" ", "").ToUpperInvariant();
        Assert.NotEmpty(key);
        var png = Regex.Match(manage, "id=\"authenticator-qr\"|src=\"data:image/png;base64,([^\"]+)\"").Groups[1].Value;
        png = WebUtility.HtmlDecode(Regex.Match(manage, "src=\"data:image/png;base64,([^\"]+)\"").Groups[1].Value);
        var file = Path.Combine(Path.GetTempPath(), $"hlb-qr-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(file, Convert.FromBase64String(png));
        try
        {
            var zbar = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("zbarimg", ["--raw", "-q", file]) { RedirectStandardOutput = true })!;
            var decoded = (await zbar.StandardOutput.ReadToEndAsync()).Trim();
            await zbar.WaitForExitAsync();
            Assert.StartsWith("otpauth://totp/HocLamTheoBac:", decoded);
            Assert.Contains($"secret={key}", decoded);
        }
        finally { File.Delete(file); }
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/Orgs")).StatusCode);
    }

    [Fact]
    public async Task A_user_turns_on_two_factor_and_then_needs_the_authenticator_code_to_sign_in()
    {
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        await client.PostFormAsync("/Account/Manage?handler=Start2fa", new() { ["CurrentPassword"] = DemoSeeder.DemoPassword }, getUrl: "/Account/Manage");
        var manage = await client.HtmlAsync("/Account/Manage");
        var key = Regex.Match(manage, "<code id=\"authenticator-key\">([^<]+)</code>").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(key));

        var wrong = await client.PostFormAsync("/Account/Manage?handler=Enable2fa", new() { ["CurrentPassword"] = DemoSeeder.DemoPassword, ["Code"] = "000000" }, getUrl: "/Account/Manage");
        Assert.Contains("Mã xác thực không đúng", await wrong.Content.ReadAsStringAsync());
        var on = await client.PostFormAsync("/Account/Manage?handler=Enable2fa", new() { ["CurrentPassword"] = DemoSeeder.DemoPassword, ["Code"] = Totp(key, DateTimeOffset.UtcNow) }, getUrl: "/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, on.StatusCode);

        var fresh = app.NewClient();
        var step1 = await fresh.PostFormAsync("/Account/Login", new() { ["Input.Email"] = "tuyengiao.tp@hlb.local", ["Input.Password"] = DemoSeeder.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, step1.StatusCode);
        Assert.Contains("LoginWith2fa", step1.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.GetAsync("/")).StatusCode);

        var step2 = await fresh.PostFormAsync("/Account/LoginWith2fa", new() { ["Code"] = Totp(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.Redirect, step2.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/")).StatusCode);
    }
}
