using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Members;

/// <summary>Create (with ?org=branch) or view/edit a member. A plain member sees their own record read-only.</summary>
public sealed class EditModel(AppDbContext db, AccessService access, ILogger<EditModel> logger) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty(SupportsGet = true)] public int? Org { get; set; }
    [BindProperty] public InputModel Input { get; set; } = new();
    public Member? Existing { get; private set; }
    public OrgUnit Branch { get; private set; } = null!;
    public bool CanEdit { get; private set; }
    public List<History> Periods { get; private set; } = [];

    public sealed record History(string Branch, DateOnly From, DateOnly? To);

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Vui lòng nhập họ và tên."), StringLength(200, ErrorMessage = "Họ và tên tối đa 200 ký tự.")]
        public string FullName { get; set; } = "";
        [Display(Name = "Ngày sinh")] public DateOnly? BirthDate { get; set; }
        public Gender? Gender { get; set; }
        [StringLength(30, ErrorMessage = "Số thẻ tối đa 30 ký tự."), RegularExpression("^[0-9A-Za-z.-]*$", ErrorMessage = "Số thẻ đảng viên chỉ gồm chữ số và chữ cái không dấu.")]
        public string? CardNumber { get; set; }
        [Display(Name = "Ngày vào Đảng")] public DateOnly? AdmittedOn { get; set; }
        [Display(Name = "Ngày chính thức")] public DateOnly? OfficialOn { get; set; }
        /// <summary>Sinh hoạt tại chi bộ từ ngày: the start of the member's period in this branch (default: the admission date).</summary>
        [Display(Name = "Sinh hoạt tại chi bộ từ ngày")] public DateOnly? JoinedOn { get; set; }
        [StringLength(200, ErrorMessage = "Chức vụ tối đa 200 ký tự.")] public string? Position { get; set; }
        [StringLength(30, ErrorMessage = "Số điện thoại tối đa 30 ký tự."), VietnamesePhone] public string? Phone { get; set; }
        [StringLength(200, ErrorMessage = "Email tối đa 200 ký tự."), RealEmail] public string? Email { get; set; }
        public MemberStatus Status { get; set; } = MemberStatus.Active;
        public uint Version { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(int? id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (Existing is { } m)
            Input = new InputModel
            {
                FullName = m.FullName, BirthDate = m.BirthDate, Gender = m.Gender, CardNumber = m.CardNumber, AdmittedOn = m.AdmittedOn,
                OfficialOn = m.OfficialOn, Position = m.Position, Phone = m.Phone, Email = m.Email, Status = m.Status, Version = m.Version,
                JoinedOn = await CurrentPeriod(m.Id).Select(p => (DateOnly?)p.ValidFrom).FirstOrDefaultAsync(ct),
            };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanEdit) return NotFound();
        var errors = MemberValidation.Check(Input.FullName, Input.BirthDate, Input.AdmittedOn, Input.OfficialOn, db.Clock.Today)
            .Concat(MemberValidation.CheckJoined(Input.JoinedOn, Input.AdmittedOn, db.Clock.Today));
        foreach (var (field, message) in errors) ModelState.AddModelError($"Input.{field}", message);
        if (!Enum.IsDefined(Input.Status)) ModelState.AddModelError("Input.Status", "Trạng thái không hợp lệ.");
        if (Input.Gender is { } g && !Enum.IsDefined(g)) ModelState.AddModelError("Input.Gender", "Giới tính không hợp lệ.");
        var card = string.IsNullOrWhiteSpace(Input.CardNumber) ? null : Input.CardNumber.Trim();
        if (ModelState.IsValid && card is not null
            && (await CardNumbers.TakenAsync(db, access.Members(await access.ScopeAsync(ct), Permission.ViewMembers), [card], id, ct)).TryGetValue(card, out var seen))
        {
            if (!seen) CardNumbers.LogRefused(logger, "member form", Branch.Id, 1);
            ModelState.AddModelError("Input.CardNumber", seen ? CardNumbers.TakenNearby(card) : CardNumbers.Unusable(card));
        }
        // Starting to stand in the branch (created active, or active again) from a day of a year closed for it: refused,
        // or the default day moved to the first open one (MemberValidation.StandsFrom).
        var startsStanding = MemberStanding.StandsInBranch(Input.Status) && (Existing is null || !MemberStanding.StandsInBranch(Existing.Status));
        var standsFrom = Existing is null ? MemberValidation.JoinedOrDefault(Input.JoinedOn, Input.AdmittedOn, db.Clock.Today) : Input.JoinedOn ?? db.Clock.Today;
        if (ModelState.IsValid && startsStanding)
        {
            var closed = await YearGuard.ClosedYearsAsync(db, Branch.Path, ct);
            var (from, problem) = MemberValidation.StandsFrom(Input.JoinedOn, Existing is null ? Input.AdmittedOn : null, db.Clock.Today, closed);
            if (problem is not null) ModelState.AddModelError("Input.JoinedOn", problem);
            else standsFrom = from;
        }
        if (!ModelState.IsValid) return Page();

        var member = Existing ?? new Member { FullName = "", BranchId = Branch.Id };
        if (Existing is not null) db.Entry(member).Property(m => m.Version).OriginalValue = Input.Version;
        member.FullName = Input.FullName.Trim();
        member.BirthDate = Input.BirthDate;
        member.Gender = Input.Gender;
        member.CardNumber = card;
        member.AdmittedOn = Input.AdmittedOn;
        member.OfficialOn = Input.OfficialOn;
        member.Position = Input.Position?.Trim();
        member.Phone = ContactRules.NormalPhone(Input.Phone);
        member.Email = string.IsNullOrWhiteSpace(Input.Email) ? null : Input.Email.Trim();
        var wasActive = Existing is not null && MemberStanding.StandsInBranch(Existing.Status);
        if (Existing is null)
        {
            member.Status = Input.Status;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Members.Add(member);
            await db.SaveChangesAsync(ct);
            // The same rule as a status change below: created active, the member stands in the branch from the join date; otherwise nowhere.
            await MemberStanding.FollowStatusAsync(db, member, standsFrom, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        else
        {
            member.Status = Input.Status;
            if (Input.JoinedOn is { } joined && await CurrentPeriod(member.Id).FirstOrDefaultAsync(ct) is { } period && period.ValidFrom != joined)
            {
                // Correcting when the member joined this branch: only the current period, never before the previous one ended.
                var previousEnd = await db.MemberBranchPeriods.Where(p => p.MemberId == member.Id && p.Id != period.Id).MaxAsync(p => p.ValidTo, ct);
                if (previousEnd is { } pe && joined < pe)
                {
                    ModelState.AddModelError("Input.JoinedOn", $"Ngày sinh hoạt tại chi bộ không được trước ngày {Vn.Date(pe)} (ngày chuyển từ chi bộ trước).");
                    return Page();
                }
                // Moving the start over a closed year (either way) changes that year's figures.
                if (MemberValidation.ClosedYearBetween(period.ValidFrom, joined, await YearGuard.ClosedYearsAsync(db, Branch.Path, ct)) is int shut)
                {
                    ModelState.AddModelError("Input.JoinedOn", $"Không thể đổi ngày sinh hoạt tại chi bộ từ {Vn.Date(period.ValidFrom)} sang {Vn.Date(joined)}: năm {shut} đã khóa sổ, số liệu năm đó không thay đổi nữa.");
                    return Page();
                }
                period.ValidFrom = joined;
            }
            // Leaving (từ trần, khai trừ, chuyển đi) ends the open period today; back to active opens one (from the date given, else today).
            if (await MemberStanding.FollowStatusAsync(db, member, !wasActive && MemberStanding.StandsInBranch(Input.Status) ? standsFrom : db.Clock.Today, ct) is { } refusal)
            {
                ModelState.AddModelError("Input.JoinedOn", refusal);
                return Page();
            }
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                var current = await db.Members.AsNoTracking().FirstAsync(m => m.Id == member.Id, ct);
                ModelState.AddModelError(string.Empty, $"Hồ sơ vừa được người khác sửa. Giá trị hiện tại: họ tên “{current.FullName}”, số thẻ {current.CardNumber ?? "—"}, chức vụ {current.Position ?? "—"}, trạng thái {current.Status.Label()}. Thay đổi của bạn chưa được lưu; hãy xem lại rồi lưu lần nữa.");
                Input.Version = current.Version;
                return Page();
            }
        }
        StatusMessage = $"Đã lưu hồ sơ đảng viên {member.FullName}.";
        return RedirectToPage("Index", new { org = member.BranchId });
    }

    private IQueryable<MemberBranchPeriod> CurrentPeriod(int memberId) =>
        db.MemberBranchPeriods.Where(p => p.MemberId == memberId && p.ValidTo == null).OrderByDescending(p => p.ValidFrom);

    private async Task<bool> LoadAsync(int? id, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        if (id is int memberId)
        {
            Existing = await access.Members(scope, Permission.ViewMembers).Include(m => m.Branch).FirstOrDefaultAsync(m => m.Id == memberId, ct);
            if (Existing is null) return false;
            Branch = Existing.Branch;
            Periods = await db.MemberBranchPeriods.AsNoTracking().Where(p => p.MemberId == memberId).OrderBy(p => p.ValidFrom)
                .Join(db.OrgUnits, p => p.BranchId, u => u.Id, (p, u) => new History(u.Name, p.ValidFrom, p.ValidTo)).ToListAsync(ct);
        }
        else
        {
            if (Org is not int orgId) return false;
            var unit = await access.FindUnitAsync(orgId, Permission.EditMembers, ct);
            if (unit is null || !unit.Kind.IsBranch || unit.ClosedOn is not null) return false;
            Branch = unit;
        }
        CanEdit = AccessService.Can(scope, Permission.EditMembers, Branch.Path);
        return true;
    }
}
