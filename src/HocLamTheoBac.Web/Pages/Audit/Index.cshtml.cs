using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Audit;

/// <summary>The audit log of the administrator's subtree: who changed what, when, before and after.</summary>
public sealed class IndexModel(AppDbContext db, AccessService access) : PageModel
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true)] public string? Entity { get; set; }
    [BindProperty(SupportsGet = true)] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true)] public string? EntityId { get; set; }
    [BindProperty(SupportsGet = true), Display(Name = "Từ ngày")] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true), Display(Name = "Đến ngày")] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public long? Before { get; set; }

    public List<Row> Rows { get; private set; } = [];
    public List<string> EntityTypes { get; private set; } = [];
    /// <summary>Names of the units and members the rows' values refer to, within the reader's subtree.</summary>
    public Dictionary<(AuditValues.Reference, string), string> Names { get; private set; } = [];

    public sealed record Row(long Id, DateTimeOffset At, string Actor, string Action, string EntityType, string EntityId, string? Unit, string? Before, string? After, string? Note);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        if (!scope.IsOperator && !scope.RootsFor(Permission.ViewAudit).Any()) return NotFound();
        var units = access.Units(scope, Permission.ViewAudit);
        var q = db.AuditEntries.AsNoTracking().Where(a => a.OrgUnitId != null && units.Any(u => u.Id == a.OrgUnitId));
        if (!string.IsNullOrWhiteSpace(Entity)) q = q.Where(a => a.EntityType == Entity);
        if (!string.IsNullOrWhiteSpace(EntityId)) q = q.Where(a => a.EntityId == EntityId.Trim());
        if (!string.IsNullOrWhiteSpace(Actor)) q = q.Where(a => EF.Functions.ILike(a.Actor, $"%{Actor.Trim()}%"));
        // Days typed the wrong way round select nothing: said, not shown as an empty log (the walk of session 19).
        if (From is { } first && To is { } last && first > last)
            ModelState.AddModelError(nameof(To), $"Đến ngày {Vn.Date(last)} trước Từ ngày {Vn.Date(first)}: không có khoảng thời gian nào như vậy; vui lòng đổi lại hai ngày.");
        var tz = TimeSpan.FromHours(7);
        if (From is { } f) { var fromAt = new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), tz).ToUniversalTime(); q = q.Where(a => a.At >= fromAt); }
        if (To is { } t) { var toAt = new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), tz).ToUniversalTime(); q = q.Where(a => a.At < toAt); }
        if (Before is long b) q = q.Where(a => a.Id < b);
        Rows = await q.OrderByDescending(a => a.Id).Take(PageSize)
            .Select(a => new Row(a.Id, a.At, a.Actor, a.Action, a.EntityType, a.EntityId, db.OrgUnits.Where(u => u.Id == a.OrgUnitId).Select(u => u.Name).FirstOrDefault(), a.Before, a.After, a.Note))
            .ToListAsync(ct);
        Names = await NamesAsync(scope, ct);
        EntityTypes = ["OrgUnit", "Member", "RoleBinding", "AppUser", "PlanYear", "Topic", "CollectivePledge", "Pledge", "PledgeEvidence", "ExemplaryModel", "ModelReplication", "ModelQuota", "Commendation", "StudySession", "PressingProblem", "LeaderTask", "IndicatorValue", "Report"];
        return Page();
    }

    /// <summary>The names of the rows' references: units the reader may view, members of branches the reader may view,
    /// accounts holding a role on a unit the reader may view, kinds of organisation (one query per kind present).</summary>
    private async Task<Dictionary<(AuditValues.Reference, string), string>> NamesAsync(UserScope scope, CancellationToken ct)
    {
        var refs = Rows.SelectMany(r => AuditValues.ReferencesIn(r.Before).Concat(AuditValues.ReferencesIn(r.After))).Distinct().ToList();
        List<int> Numbers(AuditValues.Reference kind) => refs.Where(r => r.Kind == kind).Select(r => int.Parse(r.Id, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var unitIds = Numbers(AuditValues.Reference.Unit);
        var memberIds = Numbers(AuditValues.Reference.Member);
        var kindIds = Numbers(AuditValues.Reference.Kind);
        // Accounts referred to in the values, and the accounts the rows are about ("Khóa tài khoản", "Đặt lại mật khẩu").
        var accountIds = refs.Where(r => r.Kind == AuditValues.Reference.Account).Select(r => r.Id)
            .Concat(Rows.Where(r => r.EntityType == nameof(AppUser)).Select(r => r.EntityId)).Distinct().ToList();
        var visible = access.Units(scope, Permission.ViewUnit);
        var names = new Dictionary<(AuditValues.Reference, string), string>();
        void Add(AuditValues.Reference kind, int id, string name) => names[(kind, id.ToString(System.Globalization.CultureInfo.InvariantCulture))] = name;
        if (unitIds.Count > 0)
            foreach (var u in await visible.AsNoTracking().Where(u => unitIds.Contains(u.Id)).Select(u => new { u.Id, u.Name }).ToListAsync(ct))
                Add(AuditValues.Reference.Unit, u.Id, u.Name);
        if (memberIds.Count > 0)
            foreach (var m in await db.Members.AsNoTracking().Where(m => memberIds.Contains(m.Id) && visible.Any(u => u.Id == m.BranchId)).Select(m => new { m.Id, m.FullName }).ToListAsync(ct))
                Add(AuditValues.Reference.Member, m.Id, m.FullName);
        if (kindIds.Count > 0)   // the kinds of organisation are the same for everyone
            foreach (var k in await db.OrgKinds.AsNoTracking().Where(k => kindIds.Contains(k.Id)).Select(k => new { k.Id, k.Name }).ToListAsync(ct))
                Add(AuditValues.Reference.Kind, k.Id, k.Name);
        if (accountIds.Count > 0)
            foreach (var a in await db.Users.AsNoTracking().Where(u => accountIds.Contains(u.Id) && db.RoleBindings.Any(b => b.UserId == u.Id && visible.Any(v => v.Id == b.OrgUnitId)))
                         .Select(u => new { u.Id, u.Email }).ToListAsync(ct))
                names[(AuditValues.Reference.Account, a.Id)] = a.Email ?? a.Id;
        return names;
    }

    /// <summary>What a row is about: "Tài khoản bithu@hlb.local" for an account the reader may see, else the kind and number.</summary>
    public string EntityText(Row r) =>
        r.EntityType == nameof(AppUser) && Names.TryGetValue((AuditValues.Reference.Account, r.EntityId), out var email)
            ? $"{EntityLabel(r.EntityType)} {email}" : $"{EntityLabel(r.EntityType)} #{r.EntityId}";

    public static string EntityLabel(string type) => type switch
    {
        "OrgUnit" => "Tổ chức",
        "Member" => "Đảng viên",
        "RoleBinding" => "Vai trò",
        "AppUser" => "Tài khoản",
        "PlanYear" => "Kế hoạch năm",
        "Topic" => "Nội dung đột phá / chuẩn mực",
        "CollectivePledge" => "Kế hoạch tập thể",
        "Pledge" => "Việc làm theo",
        "PledgeEvidence" => "Minh chứng việc làm theo",
        "ExemplaryModel" => "Mô hình, điển hình",
        "ModelReplication" => "Nhân rộng mô hình",
        "ModelQuota" => "Chỉ tiêu mô hình",
        "Commendation" => "Khen thưởng",
        "StudySession" => "Học tập chuyên đề",
        "PressingProblem" => "Vấn đề bức xúc",
        "LeaderTask" => "Nhiệm vụ đột phá",
        "IndicatorValue" => "Chỉ số",
        "Report" => "Báo cáo",
        _ => type,
    };
}
