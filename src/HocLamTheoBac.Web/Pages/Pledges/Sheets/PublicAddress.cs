namespace HocLamTheoBac.Web.Pages.Pledges.Sheets;

/// <summary>The site's absolute address for printed links: <c>Site:PublicUrl</c> when set (behind a proxy), else the request's own.</summary>
public static class PublicAddress
{
    public static string Of(HttpRequest request, IConfiguration config) =>
        (config["Site:PublicUrl"] is { Length: > 0 } url ? url : $"{request.Scheme}://{request.Host}{request.PathBase}").TrimEnd('/');
}
