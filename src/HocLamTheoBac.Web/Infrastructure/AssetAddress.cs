using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// The address of a file of wwwroot with its version ("/css/site.css?v=…"), as <c>asp-append-version</c> writes it (the
/// same provider and cache) but without a tag helper per element on every page (docs/performance.md, GRID18): the layout
/// and the grid page write their assets through it.
/// </summary>
public static class AssetAddress
{
    public static string Asset(this HttpContext http, string path)
    {
        var pathBase = http.Request.PathBase;
        return http.RequestServices.GetRequiredService<IFileVersionProvider>().AddFileVersionToPath(pathBase, pathBase + path);
    }
}
