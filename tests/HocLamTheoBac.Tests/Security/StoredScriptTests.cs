using System.Net;

namespace HocLamTheoBac.Tests.Security;

/// <summary>A script typed into every text field of every form is shown as text, never run.</summary>
public sealed class StoredScriptTests(CrawlFactory app) : IClassFixture<CrawlFactory>
{
    private const string Payload = "<script>alert(1)</script>";
    private const string Encoded = "&lt;script&gt;alert(1)&lt;/script&gt;";

    [Fact]
    public async Task A_script_stored_in_every_text_field_is_rendered_inert_on_every_page_that_shows_it()
    {
        var client = await app.SignedInAsync(EveryPageTests.Admin);
        var seeds = await SiteCrawler.SeedUrlsAsync(app, EveryPageTests.Admin);
        var forms = SiteCrawler.UniqueForms(await SiteCrawler.CrawlAsync(client, seeds)).Where(f => !f.IsLogout).ToList();
        var textForms = forms.Where(f => f.Fields.Any(x => x.IsText && !x.IsToken && x.Type != "hidden")).ToList();
        Assert.True(textForms.Count >= 10, $"only {textForms.Count} forms with text fields found");

        var failures = new List<string>();
        foreach (var form in forms)
        {
            var values = form.ValidValues();
            foreach (var f in form.Fields.Where(f => f.IsText && !f.IsToken)) values[f.Name] = Payload;
            using var r = await SiteCrawler.PostAsync(client, form, values, fileContent: "Họ và tên,Ngày sinh\n" + Payload + ",01/01/1980\n");
            var body = await r.Content.ReadAsStringAsync();
            if ((int)r.StatusCode >= 500) failures.Add($"{form.Action}: {(int)r.StatusCode}");
            if (body.Contains(Payload, StringComparison.OrdinalIgnoreCase)) failures.Add($"{form.Action}: the answer to the post shows the script raw");
            if (r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location?.ToString().Contains("/Account/Login") == true)
                client = await app.SignedInAsync(EveryPageTests.Admin);
        }

        var pages = await SiteCrawler.CrawlAsync(client, seeds, perPattern: 4);
        foreach (var page in pages.Where(p => p.IsHtml && p.Body.Contains(Payload, StringComparison.OrdinalIgnoreCase)))
            failures.Add($"{page.Url} shows the script raw");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var showing = pages.Count(p => p.IsHtml && p.Body.Contains(Encoded));
        Assert.True(showing >= 5, $"the stored text is shown on only {showing} pages: the payload was not stored");
    }
}
