using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Indicators;

/// <summary>Free-named numbers a unit reports for the year (tiếp dân, đơn thư…); saving a known name updates it.</summary>
public sealed class IndexModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty] public InputModel Input { get; set; } = new();
    public OrgUnit Unit { get; private set; } = null!;
    public int Year { get; private set; }
    public bool CanManage { get; private set; }
    public List<UnitChoice> Units { get; private set; } = [];
    public List<IndicatorValue> Items { get; private set; } = [];

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Vui lòng nhập tên chỉ số.")]
        [StringLength(300, ErrorMessage = "Tên chỉ số tối đa 300 ký tự.")]
        public string Name { get; set; } = "";

        [Required(ErrorMessage = "Vui lòng nhập giá trị.")]
        [StringLength(30, ErrorMessage = "Giá trị không hợp lệ.")]
        public string Value { get; set; } = "";

        [StringLength(60, ErrorMessage = "Đơn vị tính tối đa 60 ký tự.")]
        public string? Unit { get; set; }
    }

    public static string Show(decimal v) => v.ToString("#,##0.##", ServiceSetup.Vietnamese);

    /// <summary>Reads "1.024", "1024", "12,5" the Vietnamese way (dot for thousands, comma for decimals).</summary>
    public static decimal? Parse(string s) =>
        decimal.TryParse(s.Trim().Replace(" ", ""), System.Globalization.NumberStyles.Number, ServiceSetup.Vietnamese, out var v) ? v : null;

    public async Task<IActionResult> OnGetAsync(int? unitId, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, year, Permission.ViewUnit, ct)) return NotFound();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? unitId, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, year, Permission.ManageYearRecords, ct)) return NotFound();
        var value = ModelState.IsValid ? Parse(Input.Value) : null;
        if (ModelState.IsValid && value is not (>= -9_999_999_999_999_999m and <= 9_999_999_999_999_999m))
            ModelState.AddModelError("Input.Value", "Giá trị phải là một số, ví dụ 1.197 hoặc 12,5.");
        if (!ModelState.IsValid) return Page();
        var name = Input.Name.Trim();
        var item = await db.IndicatorValues.FirstOrDefaultAsync(i => i.OrgUnitId == Unit.Id && i.Year == Year && i.Name == name, ct);
        if (item is null) db.IndicatorValues.Add(item = new IndicatorValue { OrgUnitId = Unit.Id, Year = Year, Name = name });
        item.Value = value!.Value;
        item.Unit = string.IsNullOrWhiteSpace(Input.Unit) ? null : Input.Unit.Trim();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            ModelState.AddModelError("", "Chỉ số này vừa được người khác nhập cùng lúc; vui lòng tải lại trang và kiểm tra.");
            return Page();
        }
        StatusMessage = $"Đã lưu chỉ số \"{name}\": {Show(item.Value)}.";
        return RedirectToPage(new { unitId = Unit.Id, year = Year });
    }

    private async Task<bool> LoadAsync(int? unitId, int? year, Permission p, CancellationToken ct)
    {
        if (await access.FindUnitYearAsync(unitId, year, p, db.Clock, ct) is not (var unit, var y)) return false;
        (Unit, Year) = (unit, y);
        CanManage = await access.CanAsync(Permission.ManageYearRecords, unit.Id, ct);
        Units = await access.VisibleAsync(Permission.ViewUnit, Year, ct);
        Items = await db.IndicatorValues.AsNoTracking().Where(i => i.OrgUnitId == unit.Id && i.Year == Year).OrderBy(i => i.Name).ToListAsync(ct);
        return true;
    }
}
