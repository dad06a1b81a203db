using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Members;

/// <summary>
/// Chuyển sinh hoạt: the sending branch moves a member to any open branch (by code) from a date.
/// The receiving branch need not be in the sender's subtree; history of both stays.
/// </summary>
public sealed class TransferModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty] public InputModel Input { get; set; } = new();
    public Member Member { get; private set; } = null!;

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Vui lòng nhập mã chi bộ chuyển đến."), StringLength(40)] public string BranchCode { get; set; } = "";
        [Required(ErrorMessage = "Vui lòng chọn ngày chuyển."), Display(Name = "Ngày chuyển")] public DateOnly? On { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Input.On ??= db.Clock.Today;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var code = Input.BranchCode?.Trim() ?? "";
        var target = await db.OrgUnits.AsNoTracking().Include(u => u.Kind).FirstOrDefaultAsync(u => u.Code == code && u.ClosedOn == null, ct);
        if (ModelState.IsValid && (target is null || !target.Kind.IsBranch))
            ModelState.AddModelError("Input.BranchCode", $"Không có chi bộ đang hoạt động mã {code}.");
        if (target is not null && target.Id == Member.BranchId)
            ModelState.AddModelError("Input.BranchCode", "Đảng viên đang sinh hoạt ở chi bộ này.");
        if (Input.On is { } on && await MemberTransfers.RefusalAsync(db, Member, on, ct) is { } refusal)
            ModelState.AddModelError("Input.On", refusal);
        if (!ModelState.IsValid || target is null) return Page();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var fromBranch = Member.BranchId;
        await MemberTransfers.TransferAsync(db, Member, target.Id, Input.On!.Value, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        StatusMessage = $"Đã chuyển sinh hoạt {Member.FullName} đến {target.Name} từ ngày {Vn.Date(Input.On)}.";
        return RedirectToPage("Index", new { org = fromBranch });
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        var m = await access.Members(scope, Permission.EditMembers).Include(x => x.Branch).FirstOrDefaultAsync(x => x.Id == id && x.Status == MemberStatus.Active, ct);
        if (m is null) return false;
        Member = m;
        return true;
    }
}
