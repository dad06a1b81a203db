using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// The years and report numbers in the address of every page. A value that is not a number ("year=abc", "from=abc",
/// "number=abc") used to be dropped, and the page showed the current year or the year-end draft instead of what was
/// asked; a year outside the years the system keeps answered the generic 404 on some pages and the current year on
/// others (the grid, the problems, the study sessions…). The app never renders such an address, so it is a refused
/// request (ADR 0021): 400 with a Vietnamese sentence saying which value is wrong, shown by the error page. Years typed
/// into a form's box are the page's own business (200 and the message: the dashboard's period form, the register's
/// year box — a page says so with <see cref="YearTypedInFormAttribute"/>).
/// </summary>
public sealed class AddressNumbersFilter : IPageFilter
{
    private static readonly (string Key, string What)[] Numbers =
    [
        ("year", "Năm"), ("from", "Năm bắt đầu giai đoạn"), ("to", "Năm kết thúc giai đoạn"), ("number", "Số báo cáo"),
        // A list's page: a number out of the list's pages is brought to its first or last page by the list; "abc" is refused.
        ("p", "Số trang"), ("pg", "Số trang"),
    ];

    private static bool IsYear(string key) => key is "year" or "from" or "to";

    /// <summary>Whether a page class bears <see cref="YearTypedInFormAttribute"/>, looked up once a class (reading a class's
    /// attributes at every request was 1,5 % of the member page's site CPU: docs/performance.md, MEMBER17).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, bool> TypedInForm = new();

    public void OnPageHandlerSelected(PageHandlerSelectedContext context) { }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        var typedInForm = TypedInForm.GetOrAdd(context.HandlerInstance.GetType(), t => t.IsDefined(typeof(YearTypedInFormAttribute), inherit: true));
        foreach (var (key, what) in Numbers)
        {
            if (!IsNumber(context, key)) continue; // e.g. the audit's "from" and "to" are dates, with their own message
            // A key given twice ("year=&year=2025") binds its first value only and was refused with a sentence about the
            // other one (the walk of session 21): the app never writes such an address, so it is said as it is.
            if (context.HttpContext.Request.Query[key] is { Count: > 1 } repeated)
            {
                context.Result = Refuse(context.HttpContext, $"Địa chỉ ghi {char.ToLowerInvariant(what[0])}{what[1..]} {repeated.Count} lần "
                    + $"({string.Join(", ", repeated.Select(v => $"“{Shown(v)}”"))}): mỗi giá trị chỉ được ghi một lần.");
                return;
            }
            if (key == "year" && typedInForm) continue; // the page's own box says what is wrong ("2025.0" from a number box)
            // A bound property's key is its name ("Year"), a handler parameter's its own ("year").
            var (entryKey, entry) = context.ModelState.FirstOrDefault(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));
            if (entry is { ValidationState: ModelValidationState.Invalid } && string.IsNullOrWhiteSpace(entry.AttemptedValue) && IsProperty(context, key))
            {
                // "year=" with nothing after it is a year not given: the page's own default (the current year, the first
                // page), as a handler's "int? year" already binds it. It was 400 on the plan and grid pages and the
                // current year on the sessions, models and indicators (the walk of session 20).
                context.ModelState.Remove(entryKey);
                continue;
            }
            if (entry is { ValidationState: ModelValidationState.Invalid })
            {
                // A number too large for a year is a year outside the system's, not "not a number" (the walk of session 15).
                var huge = System.Numerics.BigInteger.TryParse(entry.AttemptedValue, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _);
                if (huge && IsYear(key))
                {
                    context.Result = Refuse(context.HttpContext, $"{what} {Shown(entry.AttemptedValue)} nằm ngoài các năm của hệ thống: năm phải từ {PlanYearRange.First} đến {PlanYearRange.Last}.");
                    return;
                }
                if (huge)
                {
                    context.Result = Refuse(context.HttpContext, $"{what} {Shown(entry.AttemptedValue)} quá lớn.");
                    return;
                }
                // A forged form field is not in the address (the attack walk of session 15).
                var http = context.HttpContext;
                var where = http.Request.Query.Keys.Any(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) || context.RouteData.Values.ContainsKey(key) ? "trong địa chỉ" : "gửi lên";
                context.Result = Refuse(http, $"{what} “{Shown(entry.AttemptedValue)}” {where} không phải là số."
                    + (IsYear(key) ? $" Năm phải từ {PlanYearRange.First} đến {PlanYearRange.Last}, ví dụ {PlanYearRange.First + 25}." : ""));
                return;
            }
        }
        // The year in the address (a handler's parameter or a bound property), outside the years the system keeps.
        if (IsNumber(context, "year") && Year(context) is int year && !PlanYearRange.Contains(year) && !typedInForm)
            context.Result = Refuse(context.HttpContext, $"Năm {year} nằm ngoài các năm của hệ thống: năm phải từ {PlanYearRange.First} đến {PlanYearRange.Last}.");
    }

    /// <summary>Whether the page binds <paramref name="key"/> (a handler's parameter or a property) as a whole number.</summary>
    private static bool IsNumber(PageHandlerExecutingContext context, string key)
    {
        static bool Whole(Type t) => (Nullable.GetUnderlyingType(t) ?? t) == typeof(int);
        static bool Named(string? name, string key) => string.Equals(name, key, StringComparison.OrdinalIgnoreCase);
        return context.HandlerMethod?.Parameters.Any(p => Named(p.BindingInfo?.BinderModelName ?? p.Name, key) && Whole(p.ParameterType)) == true
            || context.ActionDescriptor.BoundProperties.Any(p => Named(p.BindingInfo?.BinderModelName ?? p.Name, key) && Whole(p.ParameterType));
    }

    private static bool IsProperty(PageHandlerExecutingContext context, string key) =>
        context.ActionDescriptor.BoundProperties.Any(p => string.Equals(p.BindingInfo?.BinderModelName ?? p.Name, key, StringComparison.OrdinalIgnoreCase));

    private static int? Year(PageHandlerExecutingContext context)
    {
        if (context.HandlerArguments.TryGetValue("year", out var y) && y is int argument) return argument;
        var entry = context.ModelState.FirstOrDefault(e => string.Equals(e.Key, "year", StringComparison.OrdinalIgnoreCase)).Value;
        return entry is { ValidationState: ModelValidationState.Valid } && int.TryParse(entry.AttemptedValue, out var bound) ? bound : null;
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context) { }

    /// <summary>Key of the sentence the error page shows for a refused address.</summary>
    public const string MessageKey = "hlb.refused-address";

    /// <summary>400, and the error page (re-executed) shows <paramref name="message"/> under "Địa chỉ không hợp lệ".</summary>
    public static IActionResult Refuse(HttpContext http, string message)
    {
        http.Items[MessageKey] = message;
        return new StatusCodeResult(StatusCodes.Status400BadRequest);
    }

    private static string Shown(string? value) => value is null ? "" : value.Length > 40 ? value[..40] + "…" : value;
}

/// <summary>The page's "year" is a box of its form: a year outside the system's is said on the page (200), not refused.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class YearTypedInFormAttribute : Attribute;
