using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// A form's hidden concurrency fields (a record's <c>Version</c>, a row's <c>Seen</c>) are never typed: a bad value there
/// comes from a forged or broken post. Its binding error used to stay on the hidden field, which no page shows — the
/// member form came back without a word (the attack walk of session 14: "Giá trị '-1' không hợp lệ." at best). The
/// error is moved to the form as a whole, which every page's summary shows, and says that nothing was saved (the page
/// saves nothing while the form is invalid).
/// </summary>
public sealed class HiddenFieldsFilter : IPageFilter
{
    public const string Message = "Biểu mẫu gửi lên không hợp lệ (mốc phiên bản bị sửa hoặc hỏng): chưa lưu thay đổi nào. Vui lòng tải lại trang rồi làm lại.";

    public void OnPageHandlerSelected(PageHandlerSelectedContext context) { }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        var state = context.ModelState;
        if (HttpMethods.IsGet(context.HttpContext.Request.Method) || state.ErrorCount == 0) return;
        var hidden = state.Where(e => e.Value is { ValidationState: ModelValidationState.Invalid } && IsHidden(e.Key)).Select(e => e.Key).ToList();
        if (hidden.Count == 0) return;
        foreach (var key in hidden) state.ClearValidationState(key); // Unvalidated: the form stays invalid
        state.AddModelError(string.Empty, Message);
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context) { }

    private static bool IsHidden(string key)
    {
        var last = key[(key.LastIndexOf('.') + 1)..];
        return last is "Version" or "Seen";
    }
}
