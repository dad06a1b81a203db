using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using HocLamTheoBac.Web.Domain;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// The before/after values of an audit row as a reader sees them (the audit page; the stale forms' messages name values
/// the same way, <see cref="StaleForms"/>): Vietnamese field labels, dates as dd/mm/yyyy, a
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
        // A report's fields (the walk of session 13: English names, a snapshot of several screens of escaped JSON).
        ["FirstYear"] = "Năm đầu giai đoạn", ["Place"] = "Nơi ban hành", ["LeadershipText"] = "Công tác lãnh đạo, chỉ đạo",
        ["ResultsText"] = "Kết quả", ["Strengths"] = "Ưu điểm", ["Limitations"] = "Hạn chế", ["Direction"] = "Phương hướng, nhiệm vụ",
        ["Recipients"] = "Nơi nhận", ["SignerName"] = "Người ký", ["SignerTitle"] = "Chức vụ người ký", ["SignerOnBehalf"] = "Thay mặt",
        ["ReplacesReportId"] = "Thay thế báo cáo", ["SnapshotJson"] = "Số liệu khi ban hành", ["Pdf"] = "Tệp PDF",
        ["PdfSha256"] = "Mã SHA-256 của tệp PDF",
        // The walk of session 15 (a test now holds every audited field to a label).
        ["Id"] = "Mã số", ["PlanDate"] = "Ngày kế hoạch", ["PlanNumber"] = "Số kế hoạch", ["RegistrationDeadline"] = "Hạn đăng ký",
        ["ResultNote"] = "Kết quả thực hiện", ["Evidence"] = "Minh chứng", ["Unit"] = "Đơn vị tính", ["StoragePath"] = "Nơi lưu tệp",
    };

    /// <summary>A field whose label depends on the record (a grade's level is its "Xếp loại", a commendation's its form).</summary>
    private static readonly Dictionary<(string Entity, string Field), string> EntityLabels = new()
    {
        [(nameof(MemberGrade), nameof(MemberGrade.Level))] = "Xếp loại",
        [(nameof(Commendation), nameof(Commendation.Level))] = "Hình thức khen thưởng",
        [(nameof(PressingProblem), nameof(PressingProblem.Outcome))] = "Kết quả giải quyết",
        [(nameof(PressingProblem), nameof(PressingProblem.Title))] = "Vấn đề",
        [(nameof(LeaderTask), nameof(LeaderTask.Title))] = "Nhiệm vụ",
    };

    /// <summary>
    /// Stored enum names read as the pages say them: the record's field's enum type, by its <c>Label</c> extension in
    /// the domain (one home for the words; the walk of session 15 found "Breakthrough", "Open" on this page when each
    /// enum was listed here by hand). Null when the field is no enum or the name is not one of its values.
    /// </summary>
    private static readonly ConcurrentDictionary<(string Entity, string Field), Func<string, string?>?> Enums = new();

    private static Func<string, string?>? EnumReader(string entity, string field)
    {
        var property = typeof(Member).Assembly.GetType($"{typeof(Member).Namespace}.{entity}")?.GetProperty(field);
        var type = property is null ? null : Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type is not { IsEnum: true }) return null;
        var label = typeof(Member).Assembly.GetTypes().Where(t => t is { IsAbstract: true, IsSealed: true })
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .FirstOrDefault(m => m.Name == "Label" && m.ReturnType == typeof(string) && m.GetParameters() is [var p]
                && (p.ParameterType == type || Nullable.GetUnderlyingType(p.ParameterType) == type));
        if (label is null) return null;
        var nullable = label.GetParameters()[0].ParameterType != type;
        return s => Enum.TryParse(type, s, out var v) && Enum.IsDefined(type, v!)
            ? (string?)label.Invoke(null, [nullable ? Activator.CreateInstance(typeof(Nullable<>).MakeGenericType(type), v) : v]) : null;
    }

    /// <summary>What a stored reference points at: a unit (its name), a member (his or her name), an account (its e-mail) or a
    /// kind of organisation (its name: a quota's "Loại tổ chức: 7" read as a number in the walk of session 17).</summary>
    public enum Reference { Unit, Member, Account, Kind }

    /// <summary>Fields holding a reference the page names ("Chi bộ: Chi bộ Tổ dân phố 1 (#7)", not "Chi bộ: 7": the walk of session 15).</summary>
    private static readonly Dictionary<string, Reference> References = new(StringComparer.Ordinal)
    {
        ["OrgUnitId"] = Reference.Unit, ["BranchId"] = Reference.Unit, ["ParentId"] = Reference.Unit, ["MergedIntoId"] = Reference.Unit,
        ["SetByOrgUnitId"] = Reference.Unit, ["RecipientOrgUnitId"] = Reference.Unit,
        ["MemberId"] = Reference.Member, ["RecipientMemberId"] = Reference.Member,
        ["UserId"] = Reference.Account,
        ["KindId"] = Reference.Kind, ["OrgKindId"] = Reference.Kind,
    };

    /// <summary>The references of the stored JSON values, to be named in one query per kind (no query per row).</summary>
    public static IEnumerable<(Reference Kind, string Id)> ReferencesIn(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) yield break;
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object) yield break;
        foreach (var p in doc.RootElement.EnumerateObject())
            if (References.TryGetValue(p.Name, out var kind) && IdOf(p.Value) is { } id)
                yield return (kind, id);
    }

    /// <summary>
    /// Each field of the stored JSON as (label, value), in stored order; empty when there is nothing. A reference found in
    /// <paramref name="names"/> reads as the name and its number; one not found (outside the reader's subtree, or gone)
    /// as its number.
    /// </summary>
    public static IReadOnlyList<(string Label, string Value)> Read(string entityType, string? json, IReadOnlyDictionary<(Reference, string), string>? names = null)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object) return [("", json)];
        return doc.RootElement.EnumerateObject().Select(p => (Label(entityType, p.Name), Named(p, names) ?? Show(entityType, p.Name, p.Value))).ToList();
    }

    private static string? Named(JsonProperty p, IReadOnlyDictionary<(Reference, string), string>? names) =>
        names is null || !References.TryGetValue(p.Name, out var kind) || IdOf(p.Value) is not { } id || !names.TryGetValue((kind, id), out var name) ? null
        : kind == Reference.Account ? name // an account's id is a long random string: its e-mail says who it is
        : $"{name} (#{id})";

    /// <summary>A reference's id as stored: a unit's or member's number, an account's string id.</summary>
    private static string? IdOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt32(out var n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        JsonValueKind.String when value.GetString() is { Length: > 0 } s => s,
        _ => null,
    };

    /// <summary>The Vietnamese label of a stored field; its code name when it has none (a test holds every audited field to one).</summary>
    public static string Label(string entityType, string field) =>
        EntityLabels.GetValueOrDefault((entityType, field)) ?? Labels.GetValueOrDefault(field, field);

    /// <summary>A record's field's value as this page would show it (the stale forms name the values saved elsewhere).</summary>
    public static string Show(string entityType, string field, object? value) => value switch
    {
        null => "(trống)",
        string s when string.IsNullOrWhiteSpace(s) => "(trống)",
        string s => $"“{(s.Trim().Length > 80 ? s.Trim()[..80] + "…" : s.Trim())}”",
        bool b => b ? "có" : "không",
        DateOnly d => Vn.Date(d),
        Enum e => Text(entityType, field, e.ToString()),
        int or long or decimal => Show(entityType, field, JsonSerializer.SerializeToElement(value)),
        _ => value.ToString() ?? "",
    };

    private static string Show(string entityType, string field, JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "(trống)",
        JsonValueKind.True => "có",
        JsonValueKind.False => "không",
        // Counts and sizes grouped (1.024); ids and years as they are written ("Năm: 2026", not 2.026: the walk of session 13).
        JsonValueKind.Number when !v.TryGetInt64(out _) && v.TryGetDecimal(out var d) => Vn.Decimal(d), // 4,5 not 4.5 (the walk of session 16)
        JsonValueKind.Number => v.TryGetInt64(out var n) && !field.EndsWith("Id", StringComparison.Ordinal) && !field.EndsWith("Year", StringComparison.Ordinal) ? Vn.Number(n) : v.GetRawText(),
        JsonValueKind.String => Text(entityType, field, v.GetString()!),
        _ => v.GetRawText(),
    };

    private static string Text(string entityType, string field, string s)
    {
        if (Enums.GetOrAdd((entityType, field), k => EnumReader(k.Entity, k.Field)) is { } reader && reader(s) is { } named) return named;
        // A frozen snapshot is kept, not shown: its size says it is there.
        if (field == nameof(Report.SnapshotJson)) return $"(đã lưu, {Vn.Number(s.Length)} ký tự)";
        // A file's bytes are stored as their size (Data/AuditTrail.cs): "(83277 byte)" → "(83.277 byte)".
        if (s.StartsWith('(') && s.EndsWith(" byte)", StringComparison.Ordinal) && long.TryParse(s.AsSpan(1, s.Length - 7), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
            return $"({Vn.Number(bytes)} byte)";
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return Vn.Date(d);
        if (s.Length > 10 && s[4] == '-' && s[10] == 'T' && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)) return Vn.Date(at);
        return s;
    }
}
