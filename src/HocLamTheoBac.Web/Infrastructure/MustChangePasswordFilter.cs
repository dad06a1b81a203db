using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// An account with a temporary password (created or reset by an administrator, or by `hlb users add`
/// without --password) reaches only the password form until the password is changed. The flag comes with the
/// account read by this request's cookie check (<see cref="AccessService.AccountAsync"/>): no round trip of its own.
/// </summary>
public sealed class MustChangePasswordFilter(AccessService access) : IAsyncPageFilter
{
    private static readonly string[] Allowed = ["/Account/Manage", "/Account/Logout", "/Account/Login", "/Account/LoginWith2fa", "/Error"];

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var id = context.HttpContext.User.FindFirstValue(ClaimTypes.NameIdentifier);
        var page = context.ActionDescriptor.ViewEnginePath;
        if (id is not null && !Allowed.Contains(page, StringComparer.OrdinalIgnoreCase)
            && (await access.AccountAsync(id, context.HttpContext.RequestAborted))?.MustChangePassword == true)
        {
            context.Result = new RedirectResult("/Account/Manage");
            return;
        }
        await next();
    }
}
