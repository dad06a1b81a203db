using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HocLamTheoBac.Tests.Pages;

public sealed class RouteEnumerationTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static readonly HashSet<string> Public = ["/Account/Login", "/Account/LoginWith2fa", "/Error"];

    private List<string> PageRoutes() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))
            .Select(r => System.Text.RegularExpressions.Regex.Replace(r, @"\{[^}]+\}", "1"))
            .Distinct().ToList();

    [Fact]
    public async Task Every_page_requires_sign_in_unless_it_is_explicitly_public()
    {
        var routes = PageRoutes();
        Assert.True(routes.Count >= 15, $"only {routes.Count} page routes found");
        var client = app.NewClient();
        var failures = new List<string>();
        foreach (var route in routes)
        {
            var r = await client.GetAsync(route);
            var isPublic = Public.Any(p => route.StartsWith(p, StringComparison.OrdinalIgnoreCase));
            var redirectedToLogin = r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location!.ToString().Contains("/Account/Login");
            if (isPublic && (int)r.StatusCode >= 500) failures.Add($"{route} failed with {(int)r.StatusCode}");
            if (!isPublic && !redirectedToLogin) failures.Add($"{route} answered {(int)r.StatusCode} without sign-in");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
