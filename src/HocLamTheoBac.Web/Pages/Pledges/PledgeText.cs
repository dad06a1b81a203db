using HocLamTheoBac.Web.Domain;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>How pledges are put into words on the pages: a conflict on save, deadline states.</summary>
public static class PledgeText
{
    public const string ConflictGeneric = "Dữ liệu vừa được người khác thay đổi. Thay đổi của bạn chưa được lưu; vui lòng xem giá trị hiện tại và thử lại.";

    public static string Conflict(Pledge current) =>
        $"Việc làm theo của {current.Member.FullName} vừa được người khác thay đổi, thay đổi của bạn chưa được lưu. " +
        $"Giá trị hiện tại — Nội dung: “{current.Content}”; Giải pháp: “{current.Solution}”; Thời hạn: {(current.Deadline is { } d ? Vn.Date(d) : "chưa có")}; Trạng thái: {current.Status.Label()}.";

    public static string CssClass(this DeadlineState s) => s switch
    {
        DeadlineState.Overdue => "status-overdue",
        DeadlineState.DueSoon => "status-due-soon",
        _ => "",
    };

    public static string Label(this DeadlineState s) => s switch
    {
        DeadlineState.Overdue => "Quá hạn",
        DeadlineState.DueSoon => "Sắp đến hạn",
        _ => "",
    };
}
