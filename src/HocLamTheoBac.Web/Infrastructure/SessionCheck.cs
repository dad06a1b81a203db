using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// Every session ends at once when its account's security stamp changes (sign-out, password change or reset,
/// two-step sign-in turned on or off): each signed-in request compares the stamp in its cookie with the one in the
/// database and a copied cookie is refused on its very next request, on every instance (issue 13). The same
/// primary-key lookup brings what the rest of the request needs about the account (<see cref="AccessService.ReadAccountAsync"/>:
/// temporary password, member, role bindings), so a signed-in page pays one round trip for all of it. Identity's own
/// interval check (<c>Auth:StampCheckSeconds</c>) runs after it only when the cookie's name or e-mail is no longer the
/// account's, and refreshes the cookie's claims. During a database outage the lookup throws and <see cref="OutageGuard"/>
/// answers 503, as for any other request.
/// </summary>
public static class SessionCheck
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext ctx)
    {
        var services = ctx.HttpContext.RequestServices;
        var claims = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var id = ctx.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var inCookie = ctx.Principal?.FindFirstValue(claims.SecurityStampClaimType);
        // The account's stamp, temporary-password flag and scope in one round trip, kept for the rest of this request
        // (MustChangePasswordFilter, AccessService.ScopeAsync and the layout read it from there).
        // A page whose view reads its first statements with the account (IReadsWithAccount, ADR 0038) sends them in the same
        // round trip, after the account's statement; they are kept unread by anything until the page runs.
        var access = services.GetRequiredService<AccessService>();
        var account = id is null ? null
            : ctx.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IReadsWithAccount>() is { } reads
                ? await access.ReadAccountAsync(id, ctx.HttpContext, reads, ctx.HttpContext.RequestAborted)
                : await access.ReadAccountAsync(id, ctx.HttpContext.RequestAborted);
        if (account?.SecurityStamp is null || !string.Equals(account.SecurityStamp, inCookie, StringComparison.Ordinal))
        {
            await ViewReadWithAccount.DropAsync(ctx.HttpContext);
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }
        // The stamp is current, so Identity's own check (below) could only rebuild the cookie's claims from the account:
        // the site keeps no roles or claims in Identity's tables, so that rebuild changes nothing while the name and
        // e-mail in the cookie are the account's. Skipped then — it costs three queries and a new cookie, and a client
        // that keeps an old cookie (a script, a load test) would pay it on every request.
        if (string.Equals(ctx.Principal!.FindFirstValue(claims.UserNameClaimType), account.UserName, StringComparison.Ordinal)
            && string.Equals(ctx.Principal!.FindFirstValue(claims.EmailClaimType), account.Email, StringComparison.Ordinal))
            return;
        await SecurityStampValidator.ValidatePrincipalAsync(ctx);
    }
}
