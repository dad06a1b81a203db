using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Web.Pages;

/// <summary>Every error ends here in plain Vietnamese; a lost database answers 503 "tạm thời gián đoạn".</summary>
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel(ILogger<ErrorModel> log, AccessService access, HocLamTheoBac.Web.Data.AppDbContext db) : PageModel
{
    public string Title { get; private set; } = "Đã có lỗi xảy ra";
    public string Message { get; private set; } = "Yêu cầu chưa thực hiện được. Vui lòng thử lại sau ít phút; nếu vẫn lỗi, hãy báo quản trị viên.";

    // The code comes from the re-executed status (or the query of a direct visit), never from a posted
    // form: a re-executed POST still carries its body, and a field named "Code" must not set the status.
    public Task<IActionResult> OnGetAsync([FromQuery] int? code, CancellationToken ct) => HandleAsync(code, ct);
    public Task<IActionResult> OnPostAsync([FromQuery] int? code, CancellationToken ct) => HandleAsync(code, ct);

    /// <summary>
    /// The 404 of an account whose every role was on a unit since merged or dissolved: it opens no unit's page, and the
    /// generic "không tồn tại, hoặc nằm ngoài phạm vi quyền" left its secretary guessing (the walk of session 19). Her home
    /// page names the unit, the day and where it went.
    /// </summary>
    public const string RolesOnClosedUnits = "Đơn vị mà bạn được giao vai trò đã hợp nhất hoặc giải thể, nên tài khoản của bạn hiện không mở được trang này. Trang chủ ghi rõ đơn vị và ngày; vui lòng liên hệ quản trị viên để được giao vai trò ở đơn vị mới.";

    private async Task<bool> OnlyClosedUnitsAsync(CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true) return false;
        var scope = await access.ScopeAsync(ct);
        if (scope.UserId is not { } id || scope.IsOperator || scope.RootsFor(Permission.ViewUnit).Any()) return false;
        return await db.RoleBindings.AnyAsync(b => b.UserId == id && b.Role != AppRole.Member && b.OrgUnit.ClosedOn != null, ct);
    }

    private async Task<IActionResult> HandleAsync(int? requested, CancellationToken ct)
    {
        var code = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalStatusCode
            ?? (requested is >= 400 and <= 599 ? requested : null);
        var error = HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Error;
        if (error is not null)
        {
            if (OutageGuard.IsDatabaseDown(error))
            {
                Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                Response.Headers.RetryAfter = "30";
                Title = "Hệ thống tạm thời gián đoạn";
                Message = "Hệ thống đang tạm thời không truy cập được dữ liệu. Dữ liệu của bạn không bị mất; vui lòng thử lại sau ít phút.";
                log.LogWarning("Database unavailable: {Message}", error.Message);
                // Pooled connections to a stopped server are dead: drop the idle ones so recovery needs no restart.
                HttpContext.RequestServices.GetService<NpgsqlDataSource>()?.Clear();
            }
            else
            {
                Response.StatusCode = StatusCodes.Status500InternalServerError;
                log.LogError(error, "Unhandled error");
            }
            return Page();
        }
        Response.StatusCode = code ?? StatusCodes.Status200OK;
        // Only for an address of a page (WALK20: a mistyped address told her the same), never for one that matches none.
        if (code == 404 && HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.Endpoint is not null && await OnlyClosedUnitsAsync(ct))
        {
            (Title, Message) = ("Không tìm thấy trang", RolesOnClosedUnits);
            return Page();
        }
        if (code == 503) Response.Headers.RetryAfter = "30";
        (Title, Message) = code switch
        {
            400 when HttpContext.Items[AddressNumbersFilter.MessageKey] is string refused => ("Địa chỉ không hợp lệ", refused),
            404 => ("Không tìm thấy trang", "Trang hoặc hồ sơ bạn tìm không tồn tại, hoặc nằm ngoài phạm vi quyền của bạn."),
            // A GET carries no form: its 400 comes from the address or a search box (a control character).
            400 when HttpMethods.IsGet(Request.Method) => ("Yêu cầu không hợp lệ", "Địa chỉ hoặc ô tìm kiếm có ký tự không hợp lệ. Vui lòng xoá ký tự đó rồi thử lại."),
            400 => ("Yêu cầu không hợp lệ", "Biểu mẫu đã hết hạn hoặc dữ liệu gửi lên không hợp lệ. Vui lòng tải lại trang và thử lại."),
            403 => ("Không có quyền", "Bạn không có quyền thực hiện thao tác này."),
            405 => ("Thao tác không được hỗ trợ", "Thao tác này không được hỗ trợ."),
            414 => ("Địa chỉ quá dài", "Địa chỉ trang quá dài (thường do một liên kết bị dán nhầm hoặc bị hỏng). Vui lòng mở trang từ trình đơn hoặc quay lại trang trước."),
            413 => ("Tệp quá lớn", "Tệp hoặc dữ liệu gửi lên vượt quá dung lượng cho phép."),
            429 => ("Quá nhiều yêu cầu", "Bạn đã thử quá nhiều lần. Vui lòng chờ một lát rồi thử lại."),
            503 when HttpContext.Items.ContainsKey(HeavyWork.BusyKey) => ("Hệ thống đang bận",
                "Nhiều người đang xem báo cáo cùng lúc. Dữ liệu của bạn không bị mất; vui lòng tải lại trang sau ít phút."),
            503 => ("Hệ thống tạm thời gián đoạn", "Vui lòng thử lại sau ít phút."),
            _ => (Title, Message),
        };
        return Page();
    }
}
