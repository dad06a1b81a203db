using System.Text.RegularExpressions;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Orgs;

/// <summary>
/// The rules for a new unit, shared by the Orgs/Create page, `hlb orgs add` and the units import:
/// a code that is well formed and unused, a name, a known kind, an open parent that is not a branch,
/// a founding date that is not in the future. Permission is checked by the caller (subtree of the parent).
/// </summary>
public static partial class NewUnit
{
    public const int MaxCode = 40;
    public const int MaxName = 300;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex CodePattern();

    /// <summary>Problems with the fields alone (no database), in Vietnamese, each a short clause.</summary>
    public static List<string> CheckFields(string? code, string? name)
    {
        var problems = new List<string>();
        code = code?.Trim() ?? "";
        name = name?.Trim() ?? "";
        if (code.Length == 0) problems.Add("thiếu mã đơn vị");
        else if (code.Length > MaxCode) problems.Add($"mã đơn vị tối đa {MaxCode} ký tự");
        else if (!CodePattern().IsMatch(code)) problems.Add($"mã “{code}” chỉ được gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới");
        if (name.Length == 0) problems.Add("thiếu tên đơn vị");
        else if (name.Length > MaxName) problems.Add($"tên đơn vị tối đa {MaxName} ký tự");
        return problems;
    }

    /// <summary>Problems with where the unit goes and from when.</summary>
    public static List<string> CheckPlacement(OrgUnit? parent, OrgKind? parentKind, DateOnly from, DateOnly today)
    {
        var problems = new List<string>();
        if (parent?.ClosedOn is not null) problems.Add($"đơn vị cấp trên {parent.Name} đã giải thể");
        if (parentKind?.IsBranch == true) problems.Add($"{parent!.Name} là chi bộ, không có đơn vị trực thuộc");
        if (from > today) problems.Add("ngày thành lập không được sau hôm nay");
        if (from.Year < 1930) problems.Add("ngày thành lập không được trước năm 1930");
        return problems;
    }

    /// <summary>A kind given by its code ("chi-bo-co-so") or its name ("Chi bộ cơ sở"), accents and case ignored.</summary>
    public static OrgKind? FindKind(IEnumerable<OrgKind> kinds, string? text)
    {
        var t = Members.MemberImport.Normal(text ?? "");
        if (t.Length == 0) return null;
        return kinds.FirstOrDefault(k => Members.MemberImport.Normal(k.Code) == t || Members.MemberImport.Normal(k.Name) == t);
    }

    public static Task<bool> CodeTakenAsync(AppDbContext db, string code, CancellationToken ct)
    {
        var c = code.Trim().ToUpperInvariant();
        return db.OrgUnits.AnyAsync(u => u.Code.ToUpper() == c, ct);
    }

    /// <summary>Capitalises the first clause: "thiếu mã đơn vị" → "Thiếu mã đơn vị.".</summary>
    public static string Sentence(IEnumerable<string> problems)
    {
        var s = string.Join("; ", problems);
        return s.Length == 0 ? s : char.ToUpper(s[0], Infrastructure.ServiceSetup.Vietnamese) + s[1..] + ".";
    }

    /// <summary>Checks everything and adds the unit (tracked; the caller saves). Returns the problems, or none and the unit.</summary>
    public static async Task<(OrgUnit? Unit, List<string> Problems)> AddAsync(AppDbContext db, OrgUnit? parent, string kindText, string code, string name, DateOnly from, DateOnly today, CancellationToken ct)
    {
        var problems = CheckFields(code, name);
        var kinds = await db.KindsAsync(ct);
        var kind = FindKind(kinds, kindText);
        if (kind is null) problems.Add($"loại tổ chức “{kindText}” không có (dùng một trong: {string.Join(", ", kinds.Select(k => k.Code))})");
        var parentKind = parent is null ? null : kinds.FirstOrDefault(k => k.Id == parent.KindId);
        problems.AddRange(CheckPlacement(parent, parentKind, from, today));
        if (problems.Count == 0 && await CodeTakenAsync(db, code, ct)) problems.Add($"mã {code.Trim()} đã được dùng cho đơn vị khác");
        if (problems.Count > 0) return (null, problems);
        var unit = await db.AddUnitAsync(parent, kind!.Id, code, name, from, ct);
        return (unit, problems);
    }
}
