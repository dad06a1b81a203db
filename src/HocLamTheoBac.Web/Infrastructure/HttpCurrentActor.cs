using System.Security.Claims;
using HocLamTheoBac.Web.Data;

namespace HocLamTheoBac.Web.Infrastructure;

public sealed class HttpCurrentActor(IHttpContextAccessor http) : ICurrentActor
{
    public string Name => http.HttpContext?.User.Identity?.IsAuthenticated == true
        ? http.HttpContext.User.FindFirstValue(ClaimTypes.Email) ?? http.HttpContext.User.Identity!.Name ?? "?"
        : "ẩn danh";

    public string? UserId => http.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier);
}
