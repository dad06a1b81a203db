using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Orgs;

public sealed class CreateModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty(SupportsGet = true)] public int Parent { get; set; }
    [BindProperty] public InputModel Input { get; set; } = new();
    public OrgUnit ParentUnit { get; private set; } = null!;
    public List<OrgKind> Kinds { get; private set; } = [];

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Vui lòng nhập tên đơn vị."), StringLength(300, ErrorMessage = "Tên đơn vị tối đa 300 ký tự.")]
        public string? Name { get; set; } = "";

        [Required(ErrorMessage = "Vui lòng nhập mã đơn vị."), StringLength(40, ErrorMessage = "Mã đơn vị tối đa 40 ký tự."),
         RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]*$", ErrorMessage = "Mã đơn vị chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới.")]
        public string? Code { get; set; } = "";

        [Required(ErrorMessage = "Vui lòng chọn loại tổ chức.")]
        public int? KindId { get; set; }

        [Range(1930, PlanYearRange.Last, ErrorMessage = "Năm thành lập không hợp lệ.")]
        public int FoundedYear { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        Input.FoundedYear = db.Clock.Year;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        var kind = Kinds.FirstOrDefault(k => k.Id == Input.KindId);
        if (Input.KindId is not null && kind is null) ModelState.AddModelError("Input.KindId", "Loại tổ chức không hợp lệ.");
        if (!ModelState.IsValid) return Page();
        var today = db.Clock.Today;
        var from = Input.FoundedYear >= today.Year ? today : new DateOnly(Input.FoundedYear, 1, 1);
        var (unit, problems) = await NewUnit.AddAsync(db, ParentUnit, kind!.Code, Input.Code ?? "", Input.Name ?? "", from, today, ct);
        if (unit is null)
        {
            ModelState.AddModelError(string.Empty, NewUnit.Sentence(problems));
            return Page();
        }
        await db.SaveChangesAsync(ct);
        StatusMessage = $"Đã thêm đơn vị {unit.Name}.";
        return RedirectToPage("Details", new { id = unit.Id });
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var parent = await access.FindUnitAsync(Parent, Permission.ManageOrgs, ct);
        if (parent is null) return false;
        ParentUnit = parent;
        Kinds = await db.KindsAsync(ct);
        return true;
    }
}
