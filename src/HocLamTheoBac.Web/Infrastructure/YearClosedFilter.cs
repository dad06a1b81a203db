using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// A save refused by the year-closure guard (Data/YearGuard.cs: a closed year, a unit merged or dissolved) shows the form again with the Vietnamese reason,
/// never a 500, on every page, including those that do not check the year themselves.
/// </summary>
public sealed class YearClosedFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is YearRecordsRefusedException ex && !executed.ExceptionHandled && executed.HandlerInstance is PageModel page)
        {
            executed.ExceptionHandled = true;
            page.ModelState.AddModelError(string.Empty, ex.Message);
            executed.Result = page.Page();
        }
    }
}
