using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Orgs;

/// <summary>Rename a unit (name and code). Concurrent edits are detected with the row version.</summary>
public sealed class EditModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty] public InputModel Input { get; set; } = new();
    public OrgUnit Unit { get; private set; } = null!;

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Vui lòng nhập tên đơn vị."), StringLength(300, ErrorMessage = "Tên đơn vị tối đa 300 ký tự.")]
        public string Name { get; set; } = "";

        [Required(ErrorMessage = "Vui lòng nhập mã đơn vị."), StringLength(40, ErrorMessage = "Mã đơn vị tối đa 40 ký tự."),
         RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]*$", ErrorMessage = "Mã đơn vị chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới.")]
        public string Code { get; set; } = "";

        public uint Version { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var unit = await access.FindUnitAsync(id, Permission.ManageOrgs, ct);
        if (unit is null) return NotFound();
        Unit = unit;
        Input = new InputModel { Name = unit.Name, Code = unit.Code, Version = unit.Version };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        var unit = await access.FindUnitAsync(id, Permission.ManageOrgs, ct);
        if (unit is null) return NotFound();
        Unit = unit;
        var code = Input.Code?.Trim() ?? "";
        if (ModelState.IsValid && code != unit.Code && await db.OrgUnits.AnyAsync(u => u.Code == code && u.Id != id, ct))
            ModelState.AddModelError("Input.Code", $"Mã {code} đã được dùng cho đơn vị khác.");
        if (!ModelState.IsValid) return Page();
        db.Entry(unit).Property(u => u.Version).OriginalValue = Input.Version;
        unit.Name = Input.Name.Trim();
        unit.Code = code;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            var current = await db.OrgUnits.AsNoTracking().FirstAsync(u => u.Id == id, ct);
            ModelState.AddModelError(string.Empty, $"Đơn vị vừa được người khác sửa (tên hiện tại: “{current.Name}”, mã: {current.Code}). Thay đổi của bạn chưa được lưu; hãy xem lại rồi lưu lần nữa.");
            Input.Version = current.Version;
            return Page();
        }
        StatusMessage = "Đã lưu thay đổi.";
        return RedirectToPage("Details", new { id });
    }
}
