using System.Globalization;
using System.Text.Json;
using HocLamTheoBac.Web.Domain;

namespace HocLamTheoBac.Web.Pages.Audit;

/// <summary>
/// The before/after values of an audit row as a reader sees them: Vietnamese field labels, dates as dd/mm/yyyy, a
/// pledge's status by its label. The stored JSON keeps the code names (Data/AuditTrail.cs); only the page translates.
/// A field without a label here is shown by its code name.
/// </summary>
public static class AuditValues
{
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["Content"] = "Nội dung", ["Solution"] = "Giải pháp", ["Deadline"] = "Thời hạn", ["Status"] = "Trạng thái",
        ["Reason"] = "Lý do", ["EvidenceNote"] = "Kết quả báo cáo", ["ReportedAt"] = "Báo cáo lúc", ["VerifiedAt"] = "Xác nhận lúc",
        ["DeletedAt"] = "Xóa lúc", ["TopicId"] = "Nội dung đột phá", ["MemberId"] = "Đảng viên", ["BranchId"] = "Chi bộ",
        ["Year"] = "Năm", ["OrgUnitId"] = "Đơn vị", ["Title"] = "Tên", ["Name"] = "Tên", ["Code"] = "Mã", ["FullName"] = "Họ và tên",
        ["CardNumber"] = "Số thẻ đảng viên", ["BirthDate"] = "Ngày sinh", ["Gender"] = "Giới tính", ["AdmittedOn"] = "Ngày vào Đảng",
        ["OfficialOn"] = "Ngày chính thức", ["Phone"] = "Điện thoại", ["Email"] = "Thư điện tử", ["Position"] = "Chức vụ",
        ["ParentId"] = "Đơn vị cấp trên", ["KindId"] = "Loại tổ chức", ["OrgKindId"] = "Loại tổ chức", ["ClosedOn"] = "Giải thể từ ngày",
        ["ClosedAt"] = "Khóa sổ lúc", ["MergedIntoId"] = "Hợp nhất vào", ["FoundedYear"] = "Năm thành lập", ["Path"] = "Vị trí trong cây",
        ["Theme"] = "Chuyên đề", ["Role"] = "Vai trò", ["UserId"] = "Tài khoản", ["GrantedAt"] = "Cấp lúc", ["Kind"] = "Loại",
        ["Field"] = "Lĩnh vực", ["StartDate"] = "Ngày bắt đầu", ["ModelId"] = "Mô hình", ["ReplicatedOn"] = "Ngày nhân rộng",
        ["Note"] = "Ghi chú", ["MinCollective"] = "Tối thiểu mô hình tập thể", ["MinExemplar"] = "Tối thiểu điển hình",
        ["SetByOrgUnitId"] = "Cấp giao", ["Level"] = "Hình thức", ["IssuingBody"] = "Cơ quan quyết định", ["DecisionNumber"] = "Số quyết định",
        ["DecisionDate"] = "Ngày quyết định", ["RecipientMemberId"] = "Đảng viên được khen", ["RecipientOrgUnitId"] = "Tập thể được khen",
        ["HeldOn"] = "Ngày học tập", ["Format"] = "Hình thức", ["Owner"] = "Người chịu trách nhiệm", ["ProgressNotes"] = "Tiến độ",
        ["Outcome"] = "Kết quả", ["ResolvedOn"] = "Ngày giải quyết", ["LeaderName"] = "Người đứng đầu", ["LeaderPosition"] = "Chức vụ",
        ["Value"] = "Giá trị", ["What"] = "Nội dung", ["How"] = "Cách làm", ["Lead"] = "Người phụ trách", ["Category"] = "Nhóm nội dung",
        ["FileName"] = "Tệp", ["ContentType"] = "Loại tệp", ["Size"] = "Dung lượng (byte)", ["UploadedAt"] = "Tải lên lúc",
        ["UploadedBy"] = "Người tải lên", ["PledgeId"] = "Việc làm theo", ["Number"] = "Số", ["Symbol"] = "Ký hiệu", ["IssuedOn"] = "Ngày ban hành",
        ["MustChangePassword"] = "Phải đổi mật khẩu", ["LockoutEnd"] = "Khóa đến", ["TwoFactorEnabled"] = "Xác thực hai bước",
        ["ValidFrom"] = "Từ ngày", ["ValidTo"] = "Đến ngày", ["Description"] = "Mô tả", ["SortOrder"] = "Thứ tự",
    };

    /// <summary>Each field of the stored JSON as (label, value), in stored order; empty when there is nothing.</summary>
    public static IReadOnlyList<(string Label, string Value)> Read(string entityType, string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object) return [("", json)];
        return doc.RootElement.EnumerateObject().Select(p => (Labels.GetValueOrDefault(p.Name, p.Name), Show(entityType, p.Name, p.Value))).ToList();
    }

    private static string Show(string entityType, string field, JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "(trống)",
        JsonValueKind.True => "có",
        JsonValueKind.False => "không",
        // Counts and sizes grouped (1.024); ids and years as they are written ("Năm: 2026", not 2.026: the walk of session 13).
        JsonValueKind.Number => v.TryGetInt64(out var n) && !field.EndsWith("Id", StringComparison.Ordinal) && !field.EndsWith("Year", StringComparison.Ordinal) ? Vn.Number(n) : v.GetRawText(),
        JsonValueKind.String => Text(entityType, field, v.GetString()!),
        _ => v.GetRawText(),
    };

    private static string Text(string entityType, string field, string s)
    {
        if (entityType == nameof(Pledge) && field == nameof(Pledge.Status) && Enum.TryParse<PledgeStatus>(s, out var status)) return status.Label();
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return Vn.Date(d);
        if (s.Length > 10 && s[4] == '-' && s[10] == 'T' && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)) return Vn.Date(at);
        return s;
    }
}
