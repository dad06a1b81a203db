using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HocLamTheoBac.Web.Pages.Members;

[RequestSizeLimit(MaxBytes + 64 * 1024)]
public sealed class ImportModel(AppDbContext db, AccessService access, ILogger<ImportModel> logger) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    public const long MaxBytes = 10 * 1024 * 1024;

    [BindProperty(SupportsGet = true)] public int Org { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }
    public OrgUnit Unit { get; private set; } = null!;
    public List<MemberImport.RowError> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetTemplateAsync(string format, CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        return format == "csv"
            ? File(MemberImport.TemplateCsv(), "text/csv; charset=utf-8", "mau-nhap-dang-vien.csv")
            : File(MemberImport.TemplateXlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "mau-nhap-dang-vien.xlsx");
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError("Upload", "Vui lòng chọn tệp .xlsx hoặc .csv.");
            return Page();
        }
        if (Upload.Length > MaxBytes)
        {
            ModelState.AddModelError("Upload", "Tệp quá lớn (tối đa 10 MB).");
            return Page();
        }
        await using var stream = new MemoryStream();
        await Upload.CopyToAsync(stream, ct);
        stream.Position = 0;
        var result = await MemberImport.ImportAsync(db, Unit, access.Members(await access.ScopeAsync(ct), Permission.ViewMembers), stream, Upload.FileName, logger, ct);
        if (result.FileRefused)
        {
            // Not a file of rows at all (an image, a missing column, no rows): the reason, not "1 dòng lỗi".
            ModelState.AddModelError("Upload", $"Chưa nhập đảng viên nào. {string.Join(" ", result.Errors.Select(e => e.Message))}");
            return Page();
        }
        if (!result.Ok)
        {
            Errors = result.Errors;
            ModelState.AddModelError(string.Empty, $"Tệp có {Vn.Number(result.FailedRows)} dòng lỗi; chưa nhập đảng viên nào. Hãy sửa các dòng dưới đây rồi nhập lại.");
            return Page();
        }
        StatusMessage = $"Đã nhập {Vn.Number(result.Imported)} đảng viên.";
        return RedirectToPage("Index", new { org = Unit.Id });
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var unit = await access.FindUnitAsync(Org, Permission.EditMembers, ct);
        if (unit is null || unit.ClosedOn is not null) return false;
        Unit = unit;
        return true;
    }
}
