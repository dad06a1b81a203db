using System.Security.Claims;
using HocLamTheoBac.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// An account with a temporary password (created or reset by an administrator, or by `hlb users add`
/// without --password) reaches only the password form until the password is changed.
/// </summary>
public sealed class MustChangePasswordFilter(AppDbContext db) : IAsyncPageFilter
{
    private static readonly string[] Allowed = ["/Account/Manage", "/Account/Logout", "/Account/Login", "/Account/LoginWith2fa", "/Error"];

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var id = context.HttpContext.User.FindFirstValue(ClaimTypes.NameIdentifier);
        var page = context.ActionDescriptor.ViewEnginePath;
        if (id is not null && !Allowed.Contains(page, StringComparer.OrdinalIgnoreCase)
            && await db.Users.AsNoTracking().AnyAsync(u => u.Id == id && u.MustChangePassword, context.HttpContext.RequestAborted))
        {
            context.Result = new RedirectResult("/Account/Manage");
            return;
        }
        await next();
    }
}
