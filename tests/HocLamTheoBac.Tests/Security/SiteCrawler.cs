using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using HocLamTheoBac.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HocLamTheoBac.Tests.Security;

/// <summary>One GET answered by the site while crawling.</summary>
public sealed record PageVisit(string Url, HttpStatusCode Status, string ContentType, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public bool IsHtml => ContentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase);
}

public sealed record FormField(string Name, string Type, string Value, IReadOnlyList<string> Options)
{
    public bool IsText => Type is "text" or "textarea" or "search" or "email" or "tel" or "url" or "password" or "" ;
    public bool IsToken => Name == "__RequestVerificationToken";
}

/// <summary>A post target found in a page: a form's action, or a submit button's formaction.</summary>
public sealed record DiscoveredForm(string PageUrl, string Action, bool Multipart, IReadOnlyList<FormField> Fields)
{
    public string Token => Fields.FirstOrDefault(f => f.IsToken)?.Value ?? "";
    public string Key => SiteCrawler.Pattern(Action) + "|" + string.Join(",", Fields.Select(f => f.Name).Distinct().Order());
    public bool IsLogout => Action.Contains("/Account/Logout", StringComparison.OrdinalIgnoreCase);
    /// <summary>Handlers that remove or move things are posted last, so they do not hide the rest.</summary>
    public bool IsDestructive => Regex.IsMatch(Action, "handler=(Delete|Close|Merge|Move|Revoke|Disable|Remove|Archive|Reset)", RegexOptions.IgnoreCase);

    /// <summary>Plausible values for every field (the form's own values where it has them).</summary>
    public Dictionary<string, string> ValidValues()
    {
        var values = new Dictionary<string, string>();
        foreach (var f in Fields.Where(f => !f.IsToken && f.Type != "file"))
        {
            if (values.ContainsKey(f.Name)) continue;
            values[f.Name] = f.Value.Length > 0 ? f.Value : f.Type switch
            {
                "date" => "2025-06-15",
                "month" => "2025-06",
                "number" or "range" => "1",
                "email" => "kiem.thu@example.vn",
                "select" => f.Options.FirstOrDefault(o => o.Length > 0) ?? "",
                "checkbox" => "true",
                _ => "Kiểm thử",
            };
        }
        return values;
    }
}

/// <summary>
/// Discovers the site at run time: every Razor page route (EndpointDataSource), required ids filled
/// from the demo data, then every same-site link reachable from them, a few visits per URL shape.
/// Pages added later are covered without listing them here.
/// </summary>
public static partial class SiteCrawler
{
    public static readonly string[] NotCrawled = ["/Account/Logout", "/Account/LoginWith2fa", "/Error"];

    public static List<(string ViewPath, string Template)> PageTemplates(AppFactory app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => (e.Metadata.GetMetadata<PageActionDescriptor>()!.ViewEnginePath, "/" + (e.RoutePattern.RawText ?? "").TrimStart('/')))
            .Distinct().ToList();

    /// <summary>Seeds: each page route with its required parameters taken from the demo data.</summary>
    public static async Task<List<string>> SeedUrlsAsync(AppFactory app, string adminEmail)
    {
        var ids = await app.DbAsync(async db => new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Orgs"] = (await db.OrgUnits.Where(u => u.Code == "TQ-TP-PT-TDP1").Select(u => u.Id).FirstOrDefaultAsync()).ToString(),
            ["Members"] = (await db.Members.OrderBy(m => m.Id).Select(m => m.Id).FirstOrDefaultAsync()).ToString(),
            ["Models"] = (await db.Models.OrderBy(m => m.Id).Select(m => (int?)m.Id).FirstOrDefaultAsync())?.ToString(),
            ["StudySessions"] = (await db.StudySessions.OrderBy(m => m.Id).Select(m => (int?)m.Id).FirstOrDefaultAsync())?.ToString(),
            ["Problems"] = (await db.PressingProblems.OrderBy(m => m.Id).Select(m => (int?)m.Id).FirstOrDefaultAsync())?.ToString(),
            ["LeaderTasks"] = (await db.LeaderTasks.OrderBy(m => m.Id).Select(m => (int?)m.Id).FirstOrDefaultAsync())?.ToString(),
            ["Users"] = await db.Users.Where(u => u.Email != adminEmail).OrderBy(u => u.Email).Select(u => u.Id).FirstOrDefaultAsync(),
        });
        var urls = new List<string>();
        foreach (var (view, template) in PageTemplates(app))
        {
            var folder = view.TrimStart('/').Split('/')[0];
            var url = OptionalParam().Replace(template, "");
            if (RequiredParam().IsMatch(url))
            {
                if (!ids.TryGetValue(folder, out var id) || id is null) continue;
                url = RequiredParam().Replace(url, id);
            }
            url = url.TrimEnd('/');
            urls.Add(url.Length == 0 ? "/" : url);
        }
        return urls.Distinct().ToList();
    }

    /// <summary>The shape of a URL: numbers and ids replaced, query values dropped (the handler kept).</summary>
    public static string Pattern(string url)
    {
        var uri = new Uri(new Uri("http://localhost"), url);
        var path = IdSegment().Replace(uri.AbsolutePath.ToLowerInvariant(), "/{n}");
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        var keys = query.AllKeys.Where(k => k is not null).Select(k => k!.ToLowerInvariant() == "handler" ? "handler=" + query[k] : k!.ToLowerInvariant()).Order();
        return path + "?" + string.Join("&", keys);
    }

    public static async Task<List<PageVisit>> CrawlAsync(HttpClient client, IEnumerable<string> seeds, int perPattern = 2, int maxPages = 400)
    {
        var visits = new List<PageVisit>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var perShape = new Dictionary<string, int>();
        var queue = new Queue<string>(seeds);
        while (queue.Count > 0 && visits.Count < maxPages)
        {
            var url = queue.Dequeue();
            if (!seen.Add(url)) continue;
            var shape = Pattern(url);
            if (perShape.GetValueOrDefault(shape) >= perPattern) continue;
            perShape[shape] = perShape.GetValueOrDefault(shape) + 1;
            var visit = await GetAsync(client, url);
            visits.Add(visit);
            if (!visit.IsHtml) continue;
            foreach (var link in Links(visit)) queue.Enqueue(link);
        }
        return visits;
    }

    public static async Task<PageVisit> GetAsync(HttpClient client, string url)
    {
        using var r = await client.GetAsync(url);
        var headers = r.Headers.Concat(r.Content.Headers).ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        var type = r.Content.Headers.ContentType?.ToString() ?? "";
        var body = type.StartsWith("text/", StringComparison.OrdinalIgnoreCase) ? await r.Content.ReadAsStringAsync() : "";
        return new PageVisit(url, r.StatusCode, type, headers, body);
    }

    private static IEnumerable<string> Links(PageVisit page)
    {
        var doc = new HtmlParser().ParseDocument(page.Body);
        var baseUri = new Uri(new Uri("http://localhost"), page.Url);
        foreach (var a in doc.QuerySelectorAll("a[href]"))
        {
            var href = a.GetAttribute("href")!;
            if (href.StartsWith('#') || href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)) continue;
            if (!Uri.TryCreate(baseUri, href, out var target) || target.Host != "localhost") continue;
            var local = target.PathAndQuery;
            if (IsStatic(local) || NotCrawled.Any(p => local.StartsWith(p, StringComparison.OrdinalIgnoreCase))) continue;
            yield return local;
        }
    }

    private static bool IsStatic(string path) =>
        path.StartsWith("/lib/", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/css/", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("/js/", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/img/", StringComparison.OrdinalIgnoreCase)
        || Regex.IsMatch(path, @"\.(css|js|png|jpg|svg|ico|woff2?|map)(\?|$)", RegexOptions.IgnoreCase);

    /// <summary>Which page routes the crawl reached (a template matches one of the visited paths).</summary>
    public static List<string> Unreached(AppFactory app, IEnumerable<PageVisit> visits, IEnumerable<string> exempt)
    {
        var paths = visits.Select(v => new Uri(new Uri("http://localhost"), v.Url).AbsolutePath).Distinct().ToList();
        return PageTemplates(app).GroupBy(t => t.ViewPath)
            .Where(g => !exempt.Contains(g.Key, StringComparer.OrdinalIgnoreCase))
            .Where(g => !g.Any(t =>
            {
                var matcher = new TemplateMatcher(TemplateParser.Parse(t.Template.TrimStart('/')), new RouteValueDictionary());
                return paths.Any(p => matcher.TryMatch(p, new RouteValueDictionary()));
            }))
            .Select(g => g.Key).ToList();
    }

    /// <summary>Every post target in the page: one per form action and per submit button formaction.</summary>
    public static IEnumerable<DiscoveredForm> Forms(PageVisit page)
    {
        if (!page.IsHtml || page.Status != HttpStatusCode.OK) yield break;
        var doc = new HtmlParser().ParseDocument(page.Body);
        var baseUri = new Uri(new Uri("http://localhost"), page.Url);
        foreach (var form in doc.QuerySelectorAll("form").OfType<IHtmlFormElement>())
        {
            if (!string.Equals(form.GetAttribute("method"), "post", StringComparison.OrdinalIgnoreCase)) continue;
            var controls = form.QuerySelectorAll("input[name],select[name],textarea[name]").ToList();
            if (form.Id is { Length: > 0 } id) controls.AddRange(doc.QuerySelectorAll($"[form='{id}'][name]"));
            var fields = new List<FormField>();
            foreach (var c in controls)
            {
                var name = c.GetAttribute("name")!;
                switch (c)
                {
                    case IHtmlSelectElement s:
                        var options = s.Options.Select(o => o.Value).ToList();
                        var selected = s.Options.FirstOrDefault(o => o.IsSelected && o.HasAttribute("selected"))?.Value
                            ?? options.FirstOrDefault(o => o.Length > 0) ?? "";
                        fields.Add(new FormField(name, "select", selected, options));
                        break;
                    case IHtmlTextAreaElement t:
                        fields.Add(new FormField(name, "textarea", t.TextContent, []));
                        break;
                    case IHtmlInputElement i:
                        var type = (i.GetAttribute("type") ?? "text").ToLowerInvariant();
                        if (type is "submit" or "button" or "reset" or "image") continue;
                        if (type is "checkbox" or "radio" && !i.HasAttribute("checked") && fields.Any(f => f.Name == name)) continue;
                        fields.Add(new FormField(name, type, type is "checkbox" or "radio" && !i.HasAttribute("checked") ? "" : i.GetAttribute("value") ?? "", []));
                        break;
                }
            }
            var multipart = string.Equals(form.GetAttribute("enctype"), "multipart/form-data", StringComparison.OrdinalIgnoreCase);
            var action = form.GetAttribute("action") is { Length: > 0 } a ? a : page.Url;
            var targets = form.QuerySelectorAll("button,input[type=submit]")
                .Where(b => !string.Equals(b.GetAttribute("type"), "button", StringComparison.OrdinalIgnoreCase))
                .Select(b => (Action: b.GetAttribute("formaction") ?? action, Name: b.GetAttribute("name"), Value: b.GetAttribute("value") ?? ""))
                .DefaultIfEmpty((action, null, "")).Distinct();
            foreach (var t in targets)
            {
                var own = fields.ToList();
                if (t.Name is { Length: > 0 }) own.Add(new FormField(t.Name, "submit", t.Value, []));
                yield return new DiscoveredForm(page.Url, new Uri(baseUri, t.Action).PathAndQuery, multipart, own);
            }
        }
    }

    /// <summary>Unique post targets of all pages, non-destructive first.</summary>
    public static List<DiscoveredForm> UniqueForms(IEnumerable<PageVisit> visits) =>
        visits.SelectMany(Forms).GroupBy(f => f.Key).Select(g => g.First()).OrderBy(f => f.IsDestructive).ToList();

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, DiscoveredForm form, Dictionary<string, string> values, bool withToken = true, string? fileContent = null)
    {
        var all = values.ToList();
        if (withToken && form.Token.Length > 0) all.Add(new("__RequestVerificationToken", form.Token));
        if (!form.Multipart) return await client.PostAsync(form.Action, new FormUrlEncodedContent(all));
        var content = new MultipartFormDataContent();
        foreach (var (k, v) in all) content.Add(new StringContent(v), k);
        foreach (var file in form.Fields.Where(f => f.Type == "file"))
            content.Add(new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(fileContent ?? "Họ và tên,Ngày sinh\nKiểm thử,01/01/1980\n")), file.Name, "tep.csv");
        return await client.PostAsync(form.Action, content);
    }

    [GeneratedRegex(@"\{[^}]+\?\}")] private static partial Regex OptionalParam();
    [GeneratedRegex(@"\{[^}]+\}")] private static partial Regex RequiredParam();
    [GeneratedRegex(@"/(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?=/|$)")] private static partial Regex IdSegment();
}
