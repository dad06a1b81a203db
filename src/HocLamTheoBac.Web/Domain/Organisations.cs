using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Domain;

/// <summary>A kind of organisation (Tỉnh ủy, Đảng ủy cơ sở, Chi bộ…). Kinds are data so levels can change.</summary>
public sealed class OrgKind
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    /// <summary>Issuer abbreviation used in document numbers: "Số 35-BC/TU".</summary>
    public required string Symbol { get; set; }
    /// <summary>A branch holds members directly.</summary>
    public bool IsBranch { get; set; }
    public int SortOrder { get; set; }
}

public sealed class OrgUnit : IAudited, IAuditNote
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public int KindId { get; set; }
    public OrgKind Kind { get; set; } = null!;
    public int? ParentId { get; set; }
    public OrgUnit? Parent { get; set; }
    /// <summary>Ids from the root down to this unit, e.g. "1.4.17"; subtree queries use <c>path &lt;@ root</c>.</summary>
    public LTree Path { get; set; }
    public int FoundedYear { get; set; }
    public DateOnly? ClosedOn { get; set; }
    public int? MergedIntoId { get; set; }
    public uint Version { get; set; }

    private string? _note;
    public void NoteForAudit(string note) => _note = note;
    string? IAuditNote.TakeAuditNote() { var n = _note; _note = null; return n; }
    int? IAudited.AuditOrgUnitId => Id;
}

/// <summary>
/// Where a unit sat in the tree over a period. Moves close one placement and open another, so a
/// past year's reports can group by the tree as it was (valid on 31/12 of that year).
/// </summary>
public sealed class OrgPlacement
{
    public long Id { get; set; }
    public int OrgUnitId { get; set; }
    public int? ParentId { get; set; }
    public LTree Path { get; set; }
    public DateOnly ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
}

public static class OrgPaths
{
    public static LTree Child(LTree? parent, int id) =>
        parent is { } p && p.ToString().Length > 0 ? new LTree($"{p}.{id}") : new LTree(id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>In memory, what <c>path &lt;@ root</c> answers in SQL (LTree's own methods run only in queries).</summary>
    public static bool IsWithin(LTree path, LTree root)
    {
        string p = path, r = root;
        return p == r || (p.Length > r.Length && p.StartsWith(r, StringComparison.Ordinal) && p[r.Length] == '.');
    }

    public static IEnumerable<int> Ids(LTree path) =>
        path.ToString().Split('.').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture));
}
