using System.Security.Claims;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// Every session ends at once when its account's security stamp changes (sign-out, password change or reset,
/// two-step sign-in turned on or off): each signed-in request compares the stamp in its cookie with the one in the
/// database — one primary-key lookup of one column — and a copied cookie is refused on its very next request,
/// on every instance (issue 13). Identity's own interval check (<c>Auth:StampCheckSeconds</c>) still runs after it
/// and refreshes the cookie's claims. During a database outage the lookup throws and <see cref="OutageGuard"/>
/// answers 503, as for any other request.
/// </summary>
public static class SessionCheck
{
    private static readonly Func<AppDbContext, string, Task<string?>> StampOf =
        EF.CompileAsyncQuery((AppDbContext db, string id) => db.Users.Where(u => u.Id == id).Select(u => u.SecurityStamp).FirstOrDefault());

    public static async Task ValidateAsync(CookieValidatePrincipalContext ctx)
    {
        var services = ctx.HttpContext.RequestServices;
        var claimType = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        var id = ctx.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var inCookie = ctx.Principal?.FindFirstValue(claimType);
        var current = id is null ? null : await StampOf(services.GetRequiredService<AppDbContext>(), id);
        if (current is null || !string.Equals(current, inCookie, StringComparison.Ordinal))
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }
        await SecurityStampValidator.ValidatePrincipalAsync(ctx);
    }
}
