using System.Net;

namespace HocLamTheoBac.Tests.Security;

/// <summary>Random, oversized and malformed values posted to every form get a clear answer, never a server error.</summary>
public sealed class FormFuzzTests(CrawlFactory app) : IClassFixture<CrawlFactory>
{
    public static readonly string[] BadValues =
    [
        "", "   ", new string('x', 100_000), "2025-13-45", "31/02/2025", "-1", "-2147483649", "99999999999999999999999",
        "1e309", "NaN", "0x1F", "true\0false", "Ổ̀ 😀 \u202Eđảo chiều", "' OR 1=1 --", "../../etc/passwd", "{{7*7}}", "[]", "null",
    ];

    [Fact]
    public async Task Random_oversized_and_malformed_values_posted_to_every_form_never_give_a_server_error()
    {
        var client = await app.SignedInAsync(EveryPageTests.Admin);
        var seeds = await SiteCrawler.SeedUrlsAsync(app, EveryPageTests.Admin);
        var forms = SiteCrawler.UniqueForms(await SiteCrawler.CrawlAsync(client, seeds)).Where(f => !f.IsLogout).ToList();
        Assert.True(forms.Count >= 20, $"only {forms.Count} forms found");
        var random = new Random(8);
        var failures = new List<string>();
        var posts = 0;

        async Task PostAsync(DiscoveredForm form, Dictionary<string, string> values, string what, string? file = null)
        {
            posts++;
            using var r = await SiteCrawler.PostAsync(client, form, values, fileContent: file);
            var body = await r.Content.ReadAsStringAsync();
            if ((int)r.StatusCode >= 500 || body.Contains("Exception", StringComparison.Ordinal) || body.Contains("   at ", StringComparison.Ordinal))
                failures.Add($"{form.Action} with {what}: {(int)r.StatusCode}");
            if (r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location?.ToString().Contains("/Account/Login") == true)
                client = await app.SignedInAsync(EveryPageTests.Admin);
        }

        foreach (var form in forms)
        {
            var names = form.Fields.Where(f => !f.IsToken && f.Type != "file").Select(f => f.Name).Distinct().ToList();
            // Every field at once with each bad value …
            foreach (var bad in BadValues)
                await PostAsync(form, names.ToDictionary(n => n, _ => bad), $"every field = '{Short(bad)}'", file: bad);
            // … each field alone with a few, the others valid …
            foreach (var name in names)
                foreach (var bad in new[] { new string('9', 40), "2025-02-30", "-5", new string('ạ', 100_000), "\0" })
                {
                    var values = form.ValidValues();
                    values[name] = bad;
                    await PostAsync(form, values, $"{name} = '{Short(bad)}'");
                }
            // … and random noise, including in uploaded files.
            for (var i = 0; i < 3; i++)
            {
                var values = names.ToDictionary(n => n, _ => Noise(random));
                var bytes = new byte[random.Next(1, 4000)];
                random.NextBytes(bytes);
                await PostAsync(form, values, "random noise", file: System.Text.Encoding.Latin1.GetString(bytes));
            }
        }
        Assert.True(posts >= 500, $"only {posts} posts sent");
        Assert.True(failures.Count == 0, $"{failures.Count} of {posts} posts failed:\n" + string.Join("\n", failures.Take(60)));
    }

    private static string Short(string s) => s.Length > 20 ? s[..10] + $"…({s.Length})" : s.Replace("\0", "\\0");

    private static string Noise(Random random)
    {
        var chars = new char[random.Next(0, 300)];
        for (var i = 0; i < chars.Length; i++) chars[i] = (char)random.Next(1, 0xD7FF);
        return new string(chars);
    }
}
