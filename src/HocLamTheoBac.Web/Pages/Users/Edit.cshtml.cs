using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Users;

/// <summary>Grant and revoke role bindings, reset a forgotten password, lock and unlock. Only for accounts whose every binding lies inside the admin's subtree (AccessService.ManageableAccounts).</summary>
public sealed class EditModel(AppDbContext db, AccessService access, UserManager<AppUser> users) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty] public BindingInput Grant { get; set; } = new();
    public AppUser Account { get; private set; } = null!;
    public DateTimeOffset Now => db.Clock.Now;
    /// <summary>The administrator's own account: no "Khóa tài khoản" (refused anyway).</summary>
    public bool IsSelf => Account.Id == users.GetUserId(User);
    public List<Row> Bindings { get; private set; } = [];
    /// <summary>One's own administrator role: never revoked by oneself (the page refuses it and does not offer it).</summary>
    public bool IsOwnAdminRole(Row binding) => IsSelf && binding.Role == AppRole.Admin;
    public string? NewPassword { get; private set; }

    public sealed record Row(int Id, AppRole Role, string Unit, string Code, bool Manageable);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostGrantAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!ModelState.IsValid) return Page();
        var (unit, memberId, error, field) = await AccountRules.ResolveAsync(db, access, Grant, ct);
        if (error is not null) { ModelState.AddModelError($"Grant.{field}", error); return Page(); }
        if (await db.RoleBindings.AnyAsync(b => b.UserId == id && b.Role == Grant.Role && b.OrgUnitId == unit!.Id, ct))
        {
            ModelState.AddModelError(string.Empty, "Tài khoản đã có vai trò này tại đơn vị này.");
            return Page();
        }
        db.RoleBindings.Add(new RoleBinding { UserId = id, Role = Grant.Role!.Value, OrgUnitId = unit!.Id, GrantedAt = db.Clock.Now });
        if (memberId is not null) Account.MemberId = memberId;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // The same grant sent twice at the same instant: the first one holds.
            StatusMessage = "Tài khoản đã có vai trò này tại đơn vị này.";
            return RedirectToPage(new { id });
        }
        StatusMessage = $"Đã giao vai trò {Grant.Role.Value.Label()} tại {unit.Name}.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostRevokeAsync(string id, int bindingId, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        // Revoked meanwhile (a second tab, another administrator): what was asked is done; say so (was a 404).
        if (Bindings.FirstOrDefault(b => b.Id == bindingId) is not { } row)
        {
            StatusMessage = "Vai trò này đã được thu hồi trước đó.";
            return RedirectToPage(new { id });
        }
        if (!row.Manageable) return NotFound();
        // An administrator who revokes their own administrator role locks themself out, and only an administrator above
        // (or the server's operator) could undo it: refused (the walk of session 16: one click, then 404 everywhere).
        if (IsOwnAdminRole(row))
        {
            StatusMessage = "Không thể tự thu hồi vai trò quản trị viên của chính mình: hãy nhờ quản trị viên cấp trên thu hồi.";
            return RedirectToPage(new { id });
        }
        // The account's last role: revoked, the account would belong to no unit, so no administrator's list would hold it
        // and only the server's operator could reach it again (the walk of session 16). Refused; locking the account is
        // the way to stop someone who no longer uses the system (it keeps the role, so it can be opened again).
        if (Bindings.Count == 1)
        {
            StatusMessage = "Không thể thu hồi vai trò cuối cùng của tài khoản: tài khoản sẽ không còn thuộc đơn vị nào và không quản trị viên nào quản lý được nữa. "
                + "Hãy giao vai trò khác trước khi thu hồi, hoặc bấm «Khóa tài khoản» nếu người này không còn sử dụng hệ thống.";
            return RedirectToPage(new { id });
        }
        var binding = await db.RoleBindings.FirstAsync(b => b.Id == bindingId, ct);
        db.RoleBindings.Remove(binding);
        await db.SaveChangesAsync(ct);
        StatusMessage = "Đã thu hồi vai trò.";
        return RedirectToPage(new { id });
    }

    /// <summary>
    /// Locks the account for good (until "Mở khóa"): the way to stop someone who left. Its roles stay, so its administrators
    /// still list and manage it; the security stamp changes, so a session open elsewhere ends at its next request.
    /// </summary>
    public async Task<IActionResult> OnPostLockAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (id == users.GetUserId(User))
        {
            StatusMessage = "Không thể tự khóa tài khoản của chính mình.";
            return RedirectToPage(new { id });
        }
        if (AccountLock.Of(Account.LockoutEnd, db.Clock.Now) == AccountLock.State.LockedByAdministrator)
        {
            StatusMessage = "Tài khoản đã bị khóa trước đó.";
            return RedirectToPage(new { id });
        }
        Account.LockoutEnabled = true;
        Account.LockoutEnd = AccountLock.ByAdministrator;
        // One update with a new stamp (ends an open session); a lock sent twice at the same instant: the first holds.
        if (!(await users.UpdateSecurityStampAsync(Account)).Succeeded)
        {
            StatusMessage = "Tài khoản vừa được người khác thay đổi; hãy xem lại rồi thử lại.";
            return RedirectToPage(new { id });
        }
        await Audit(id, "Khóa tài khoản", ct);
        StatusMessage = "Đã khóa tài khoản: người dùng không đăng nhập được nữa cho đến khi được mở khóa.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostResetPasswordAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        // The page is shown again with the new password: the grant form's fields were bound too (empty), and their
        // "choose a role" errors are not this form's.
        ModelState.Clear();
        var lockedByAdministrator = AccountLock.Of(Account.LockoutEnd, db.Clock.Now) == AccountLock.State.LockedByAdministrator;
        var token = await users.GeneratePasswordResetTokenAsync(Account);
        var password = Passwords.Generate();
        var result = await users.ResetPasswordAsync(Account, token, password);
        if (!result.Succeeded) { ModelState.AddModelError(string.Empty, string.Join(" ", result.Errors.Select(e => e.Description))); return Page(); }
        // A lock after failed sign-ins is lifted with the reset; an administrator's lock stays until "Mở khóa" (the walk
        // of session 17: a reset let a locked account back in without a word).
        if (!lockedByAdministrator) await users.SetLockoutEndDateAsync(Account, null);
        await users.ResetAccessFailedCountAsync(Account);
        Account.MustChangePassword = true;
        await users.UpdateAsync(Account);
        await Audit(id, "Đặt lại mật khẩu", ct);
        NewPassword = password;
        return Page();
    }

    public async Task<IActionResult> OnPostUnlockAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (AccountLock.Of(Account.LockoutEnd, db.Clock.Now) == AccountLock.State.Active)
        {
            // Unlocked meanwhile (a second tab, another administrator): nothing to do, nothing audited.
            StatusMessage = "Tài khoản không bị khóa.";
            return RedirectToPage(new { id });
        }
        await users.SetLockoutEndDateAsync(Account, null);
        await users.ResetAccessFailedCountAsync(Account);
        await Audit(id, "Mở khóa tài khoản", ct);
        StatusMessage = "Đã mở khóa tài khoản.";
        return RedirectToPage(new { id });
    }

    /// <summary>One audit row per unit the account is bound to, so the administrators of each of them see it.</summary>
    private async Task Audit(string id, string action, CancellationToken ct)
    {
        var at = db.Clock.Now;
        foreach (var unit in await db.RoleBindings.Where(b => b.UserId == id).Select(b => b.OrgUnitId).Distinct().ToListAsync(ct))
            db.AuditEntries.Add(new AuditEntry { At = at, Actor = db.Actor.Name, UserId = db.Actor.UserId, Action = action, EntityType = nameof(AppUser), EntityId = id, OrgUnitId = unit });
        await db.SaveChangesAsync(ct);
    }

    private async Task<bool> LoadAsync(string id, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        var manageable = access.Units(scope, Permission.ManageAccounts);
        var account = await access.ManageableAccounts(scope).FirstOrDefaultAsync(u => u.Id == id, ct);
        if (account is null) return false;
        Account = account;
        Bindings = await db.RoleBindings.AsNoTracking().Where(b => b.UserId == id)
            .Select(b => new Row(b.Id, b.Role, b.OrgUnit.Name, b.OrgUnit.Code, manageable.Any(m => m.Id == b.OrgUnitId))).ToListAsync(ct);
        return true;
    }
}
