using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Members;
using HocLamTheoBac.Web.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HocLamTheoBac.Web.Pages.Orgs;

/// <summary>Imports a tree of units under one unit (administrators: the ManageOrgs permission).</summary>
[RequestSizeLimit(Members.ImportModel.MaxBytes + 64 * 1024)]
public sealed class ImportModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty(SupportsGet = true)] public int Org { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }
    public OrgUnit Unit { get; private set; } = null!;
    public List<MemberImport.RowError> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetTemplateAsync(string format, CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        return format == "csv"
            ? File(UnitImport.TemplateCsv(), "text/csv; charset=utf-8", "mau-nhap-don-vi.csv")
            : File(UnitImport.TemplateXlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "mau-nhap-don-vi.xlsx");
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError("Upload", "Vui lòng chọn tệp .xlsx hoặc .csv.");
            return Page();
        }
        if (Upload.Length > Members.ImportModel.MaxBytes)
        {
            ModelState.AddModelError("Upload", "Tệp quá lớn (tối đa 10 MB).");
            return Page();
        }
        await using var stream = new MemoryStream();
        await Upload.CopyToAsync(stream, ct);
        stream.Position = 0;
        var result = await UnitImport.ImportAsync(db, access, await access.ScopeAsync(ct), Unit, stream, Upload.FileName, db.Clock.Today, ct);
        if (result.FileRefused)
        {
            // Not a file of rows at all (an image, a missing column): the reason, not "1 dòng lỗi".
            ModelState.AddModelError("Upload", $"Chưa nhập đơn vị nào. {string.Join(" ", result.Errors.Select(e => e.Message))}");
            return Page();
        }
        if (!result.Ok)
        {
            Errors = result.Errors;
            ModelState.AddModelError(string.Empty, $"Tệp có {Vn.Number(result.Errors.Count)} dòng lỗi; chưa nhập đơn vị nào. Hãy sửa các dòng dưới đây rồi nhập lại.");
            return Page();
        }
        StatusMessage = result.Summary(null);
        return RedirectToPage("Details", new { id = Unit.Id });
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var unit = await access.FindUnitAsync(Org, Permission.ManageOrgs, ct);
        if (unit is null || unit.ClosedOn is not null || unit.Kind.IsBranch) return false;
        Unit = unit;
        return true;
    }
}
