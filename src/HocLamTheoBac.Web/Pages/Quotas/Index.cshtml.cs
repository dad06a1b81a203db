using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Quotas;

/// <summary>A committee's quotas per kind of unit under it, and the overview of who is short.</summary>
public sealed class IndexModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty] public List<QuotaInput> Input { get; set; } = [];
    public OrgUnit Unit { get; private set; } = null!;
    public int Year { get; private set; }
    public bool CanSet { get; private set; }
    /// <summary>The year is closed for the unit: the quotas are shown, not offered for change (the guard refuses too).</summary>
    public bool YearClosed { get; private set; }
    public List<UnitChoice> Units { get; private set; } = [];
    public List<QuotaStatusRow> Status { get; private set; } = [];
    public Dictionary<int, string> KindNames { get; private set; } = [];

    public List<QuotaStatusRow> Short => Status.Where(s => s.IsShort).ToList();

    public sealed class QuotaInput
    {
        public int KindId { get; set; }

        [Range(0, 1000, ErrorMessage = "Chỉ tiêu mô hình phải từ 0 đến 1.000.")]
        public int? MinCollective { get; set; }

        [Range(0, 1000, ErrorMessage = "Chỉ tiêu điển hình phải từ 0 đến 1.000.")]
        public int? MinExemplar { get; set; }

        public uint Version { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(int? unitId, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, year, ct)) return NotFound();
        Input = await CurrentQuotasAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? unitId, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, year, ct)) return NotFound();
        if (!CanSet) return NotFound();
        if (YearClosed) { ModelState.AddModelError(string.Empty, YearClosure.Refusal(Unit, Year)); return Page(); }
        for (var i = 0; i < Input.Count; i++)
        {
            if (!KindNames.ContainsKey(Input[i].KindId)) ModelState.AddModelError($"Input[{i}].KindId", "Loại đơn vị không có trong đơn vị này.");
            else if ((Input[i].MinCollective is null) != (Input[i].MinExemplar is null))
                ModelState.AddModelError($"Input[{i}].MinCollective", $"{KindNames[Input[i].KindId]}: nhập cả hai chỉ tiêu, hoặc để trống cả hai để bỏ chỉ tiêu.");
        }
        if (!ModelState.IsValid) return Page();

        var existing = await db.ModelQuotas.Where(q => q.SetByOrgUnitId == Unit.Id && q.Year == Year).ToListAsync(ct);
        foreach (var row in Input)
        {
            var q = existing.FirstOrDefault(e => e.OrgKindId == row.KindId);
            if (q is null)
            {
                if (row.MinCollective is int c && row.MinExemplar is int e)
                    db.ModelQuotas.Add(new ModelQuota { SetByOrgUnitId = Unit.Id, Year = Year, OrgKindId = row.KindId, MinCollective = c, MinExemplar = e });
                continue;
            }
            db.Entry(q).Property(x => x.Version).OriginalValue = row.Version;
            if (row.MinCollective is int c2 && row.MinExemplar is int e2)
            {
                q.MinCollective = c2;
                q.MinExemplar = e2;
            }
            else db.ModelQuotas.Remove(q);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            ModelState.Clear();
            ModelState.AddModelError("", "Chỉ tiêu vừa được người khác sửa. Dưới đây là chỉ tiêu hiện tại; thay đổi của bạn chưa được lưu, vui lòng nhập lại.");
            Input = await CurrentQuotasAsync(ct);
            return Page();
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            ModelState.AddModelError("", "Chỉ tiêu vừa được người khác thêm cùng lúc. Vui lòng tải lại trang và nhập lại.");
            return Page();
        }
        StatusMessage = $"Đã lưu chỉ tiêu năm {Year}.";
        return RedirectToPage(new { unitId = Unit.Id, year = Year });
    }

    private async Task<List<QuotaInput>> CurrentQuotasAsync(CancellationToken ct)
    {
        var quotas = await db.ModelQuotas.AsNoTracking().Where(q => q.SetByOrgUnitId == Unit.Id && q.Year == Year).ToListAsync(ct);
        return KindNames.Keys.Select(k => quotas.FirstOrDefault(q => q.OrgKindId == k) is { } q
            ? new QuotaInput { KindId = k, MinCollective = q.MinCollective, MinExemplar = q.MinExemplar, Version = q.Version }
            : new QuotaInput { KindId = k }).ToList();
    }

    private async Task<bool> LoadAsync(int? unitId, int? year, CancellationToken ct)
    {
        if (await access.FindUnitYearAsync(unitId, year, Permission.ViewUnit, db.Clock, ct) is not (var unit, var y)) return false;
        (Unit, Year) = (unit, y);
        CanSet = await access.CanAsync(Permission.SetQuotas, unit.Id, ct);
        YearClosed = CanSet && await YearGuard.IsReadOnlyAsync(db, unit, Year, ct);
        Units = await access.VisibleAsync(Permission.ViewUnit, Year, ct);
        var below = AccessService.InSubtree<OrgUnit>(u => u.Path, [unit.Path]);
        // Kinds of the units under this one (not itself): those are what it can set quotas for.
        KindNames = await db.OrgUnits.AsNoTracking().Where(below).Where(u => u.Id != unit.Id && u.ClosedOn == null)
            .Select(u => u.Kind).Distinct().OrderBy(k => k.SortOrder)
            .ToDictionaryAsync(k => k.Id, k => k.Name, ct);
        Status = await QuotaStatusQuery.RunAsync(db, unit.Path, Year, ct);
        return true;
    }
}
