using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>Import a branch's pledges from .xlsx/.csv, all or nothing, with row-by-row errors; template download.</summary>
public sealed class ImportModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    public const long MaxBytes = 10 * 1024 * 1024;

    [BindProperty(SupportsGet = true)] public int Year { get; set; } = db.Clock.Year;
    public OrgUnit Unit { get; private set; } = null!;
    public IReadOnlyList<string> Errors { get; private set; } = [];

    private async Task<bool> LoadAsync(int unitId, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        var unit = await access.PledgeBranches(scope).Include(u => u.Kind).FirstOrDefaultAsync(u => u.Id == unitId, ct);
        if (unit is null || !unit.Kind.IsBranch) return false;
        Unit = unit;
        return true;
    }

    public async Task<IActionResult> OnGetAsync(int unitId, CancellationToken ct) =>
        await LoadAsync(unitId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetTemplateAsync(int unitId, CancellationToken ct) =>
        await LoadAsync(unitId, ct) ? File(PledgeImport.CsvTemplate(Year), "text/csv; charset=utf-8", "mau-nhap-viec-lam-theo.csv") : NotFound();

    public async Task<IActionResult> OnPostAsync(int unitId, IFormFile? file, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, ct)) return NotFound();
        if (file is null || file.Length == 0) { Errors = ["Vui lòng chọn tệp .xlsx hoặc .csv."]; return Page(); }
        if (file.Length > MaxBytes) { Errors = ["Tệp quá lớn: tối đa 10 MB."]; return Page(); }
        TabularFile.Table rows;
        try
        {
            await using var s = file.OpenReadStream();
            var copy = new MemoryStream();
            await s.CopyToAsync(copy, ct);
            copy.Position = 0;
            rows = PledgeImport.Read(copy, file.FileName);
        }
        catch (FormatException ex) { Errors = [ex.Message]; return Page(); }
        var result = await PledgeImport.ImportAsync(db, Unit, Year, rows, ct);
        if (!result.Ok) { Errors = result.Errors; return Page(); }
        StatusMessage = $"Đã nhập {Vn.Number(result.Imported)} việc làm theo.";
        return RedirectToPage("Branch", new { unitId, Year });
    }
}
