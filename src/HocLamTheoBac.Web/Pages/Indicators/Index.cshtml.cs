using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Indicators;

/// <summary>Free-named numbers a unit reports for the year (tiếp dân, đơn thư…); saving a known name updates it.</summary>
public sealed partial class IndexModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty] public InputModel Input { get; set; } = new();
    public OrgUnit Unit { get; private set; } = null!;
    public int Year { get; private set; }
    public bool CanManage { get; private set; }
    /// <summary>The year is closed for the unit: the list is read only (no form, no "Sửa"/"Xóa"; the guard refuses too).</summary>
    public bool YearClosed { get; private set; }
    public bool CanEdit => CanManage && !YearClosed;
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

        /// <summary>The indicator opened with "Sửa" (its name may change then); null for the free form.</summary>
        public int? Id { get; set; }

        /// <summary>
        /// The version of the indicator as the form showed it: with <see cref="Id"/>, that row's; for the free form, the
        /// versions of the whole list ("id:version,…"), so a name typed that someone saved meanwhile is not overwritten
        /// unknowingly. Null from a client that saw no list (the command line of a script): no check.
        /// </summary>
        public string? Seen { get; set; }
    }

    /// <summary>The list as this page shows it, for <see cref="InputModel.Seen"/>.</summary>
    public string SeenList => string.Join(',', Items.Select(i => $"{i.Id}:{i.Version}"));

    /// <summary>A value as every page, report and export shows it (<see cref="Vn.Decimal"/>).</summary>
    public static string Show(decimal v) => Vn.Decimal(v);

    /// <summary>
    /// Reads "1.024", "1024", "12,5", "1.197,5" the Vietnamese way (dot for thousands, comma for decimals). A dot not
    /// followed by groups of three digits ("1.5", "1.2.3") is no Vietnamese number: null, so the form asks again (the
    /// walk of session 16 found "1.5" saved as 15).
    /// </summary>
    public static decimal? Parse(string s)
    {
        var t = Tidy(s);
        if (!VietnameseNumber().IsMatch(t)) return null;
        return decimal.TryParse(t, System.Globalization.NumberStyles.Number, ServiceSetup.Vietnamese, out var v) ? v : null;
    }

    private static string Tidy(string s) => s.Trim().Replace(" ", "").Replace("\u00A0", "");

    [System.Text.RegularExpressions.GeneratedRegex(@"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")]
    private static partial System.Text.RegularExpressions.Regex VietnameseNumber();

    public async Task<IActionResult> OnGetAsync(int? unitId, int? year, int? edit, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, year, Permission.ViewUnit, ct)) return NotFound();
        if (edit is int id && CanManage && Items.FirstOrDefault(i => i.Id == id) is { } item)
            Input = new InputModel { Id = item.Id, Name = item.Name, Value = Show(item.Value), Unit = item.Unit, Seen = item.Version.ToString() };
        return Page();
    }

    /// <summary>Deletes softly (the report stops counting it; the row and the audit keep its value).</summary>
    public async Task<IActionResult> OnPostDeleteAsync(int? unitId, int? year, int id, uint? version, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, year, Permission.ManageYearRecords, ct)) return NotFound();
        var item = await db.IndicatorValues.FirstOrDefaultAsync(i => i.Id == id && i.OrgUnitId == Unit.Id && i.Year == Year, ct);
        if (item is null)
        {
            if (!await db.IndicatorValues.IgnoreQueryFilters().AnyAsync(i => i.Id == id && i.OrgUnitId == Unit.Id && i.Year == Year, ct)) return NotFound();
            StatusMessage = "Chỉ số này đã được xóa trước đó.";
            return RedirectToPage(new { unitId = Unit.Id, year = Year });
        }
        if (version is uint v && v != item.Version)
        {
            ModelState.AddModelError("", $"Chỉ số “{item.Name}” vừa được người khác sửa (giá trị đã lưu: {Show(item.Value)}{(item.Unit is null ? "" : " " + item.Unit)}); chưa xóa. Hãy xem lại rồi xóa nếu vẫn muốn.");
            return Page();
        }
        item.DeletedAt = db.Clock.Now;
        await db.SaveChangesAsync(ct);
        StatusMessage = $"Đã xóa chỉ số “{item.Name}”.";
        return RedirectToPage(new { unitId = Unit.Id, year = Year });
    }

    public async Task<IActionResult> OnPostAsync(int? unitId, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, year, Permission.ManageYearRecords, ct)) return NotFound();
        var value = ModelState.IsValid ? Parse(Input.Value) : null;
        // A number too large for the field is said to be one (the walk of session 20: 29 nines got "phải là một số").
        if (ModelState.IsValid && value is null && VietnameseNumber().IsMatch(Tidy(Input.Value)) || value is < -9_999_999_999_999_999m or > 9_999_999_999_999_999m)
            ModelState.AddModelError("Input.Value", "Giá trị quá lớn: chỉ số phải nằm trong khoảng từ -9.999.999.999.999.999 đến 9.999.999.999.999.999.");
        else if (ModelState.IsValid && value is null)
            ModelState.AddModelError("Input.Value", "Giá trị phải là một số, ví dụ 1.197 hoặc 12,5.");
        // Shown everywhere with up to two decimals (Vn.Decimal): 0,0000000001 was stored and shown as "0" (the walk of session 18).
        else if (ModelState.IsValid && value != Math.Round(value!.Value, Vn.Decimals))
            ModelState.AddModelError("Input.Value", $"Giá trị chỉ được có tối đa {Vn.Decimals} chữ số sau dấu phẩy, ví dụ 12,75.");
        if (!ModelState.IsValid) return Page();
        var name = Input.Name.Trim();
        var named = await db.IndicatorValues.FirstOrDefaultAsync(i => i.OrgUnitId == Unit.Id && i.Year == Year && i.Name == name, ct);
        IndicatorValue? item;
        if (Input.Id is int id)
        {
            // "Sửa" of one row: that row, renamed if the name changed; its version as the form showed it.
            item = await db.IndicatorValues.FirstOrDefaultAsync(i => i.Id == id && i.OrgUnitId == Unit.Id && i.Year == Year, ct);
            if (item is null)
            {
                if (!await db.IndicatorValues.IgnoreQueryFilters().AnyAsync(i => i.Id == id && i.OrgUnitId == Unit.Id && i.Year == Year, ct)) return NotFound();
                // Deleted in another tab meanwhile: what was typed stays, as a new indicator if saved again.
                ModelState.AddModelError("", "Chỉ số này vừa bị người khác xóa. Những gì bạn nhập vẫn còn dưới đây: bấm Lưu nếu muốn nhập lại thành chỉ số mới.");
                ModelState.Remove("Input.Id");
                ModelState.Remove("Input.Seen");
                (Input.Id, Input.Seen) = (null, SeenList);
                return Page();
            }
            if (named is not null && named.Id != item.Id)
            {
                ModelState.AddModelError("Input.Name", $"Đã có chỉ số tên “{name}” trong năm {Year}; hãy chọn tên khác.");
                return Page();
            }
            if (Input.Seen is { } seen && seen != item.Version.ToString())
                return Stale(item);
        }
        else
        {
            item = named;
            // The free form with a name already saved: the value it updates must be the one the page listed.
            if (item is not null && Input.Seen is { } seen && !seen.Split(',').Contains($"{item.Id}:{item.Version}"))
                return Stale(item);
            if (item is null) db.IndicatorValues.Add(item = new IndicatorValue { OrgUnitId = Unit.Id, Year = Year, Name = name });
        }
        item.Name = name;
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
        StatusMessage = $"Đã lưu chỉ số “{name}”: {Show(item.Value)}.";
        return RedirectToPage(new { unitId = Unit.Id, year = Year });
    }

    /// <summary>Someone saved this indicator since the form was shown: the typed values stay, the saved one is named, and
    /// the form now carries the current version, so saving again overwrites knowingly (ADR 0032).</summary>
    private PageResult Stale(IndicatorValue saved)
    {
        ModelState.AddModelError("", $"Chỉ số “{saved.Name}” vừa được người khác lưu: giá trị đã lưu là {Show(saved.Value)}{(saved.Unit is null ? "" : " " + saved.Unit)}. "
            + "Những gì bạn nhập vẫn còn dưới đây; bấm Lưu lần nữa nếu vẫn muốn ghi đè.");
        ModelState.Remove("Input.Seen");
        Input.Seen = Input.Id is null ? SeenList : saved.Version.ToString();
        return Page();
    }

    private async Task<bool> LoadAsync(int? unitId, int? year, Permission p, CancellationToken ct)
    {
        if (await access.FindUnitYearAsync(unitId, year, p, db.Clock, ct) is not (var unit, var y)) return false;
        (Unit, Year) = (unit, y);
        CanManage = await access.CanAsync(Permission.ManageYearRecords, unit.Id, ct);
        YearClosed = CanManage && await YearGuard.IsReadOnlyAsync(db, unit, Year, ct);
        Units = await access.VisibleAsync(Permission.ViewUnit, Year, ct);
        Items = await db.IndicatorValues.AsNoTracking().Where(i => i.OrgUnitId == unit.Id && i.Year == Year).OrderBy(i => i.Name).ToListAsync(ct);
        return true;
    }
}
