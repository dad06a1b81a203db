using Microsoft.EntityFrameworkCore;
using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HocLamTheoBac.Web.Pages.Users;

public sealed class CreateModel(AppDbContext db, AccessService access, UserManager<AppUser> users) : PageModel
{
    [BindProperty] public InputModel Input { get; set; } = new();
    public string? CreatedPassword { get; private set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Vui lòng nhập email."), RealEmail, StringLength(200)] public string Email { get; set; } = "";
        [Required(ErrorMessage = "Vui lòng nhập họ tên."), StringLength(200)] public string FullName { get; set; } = "";
        public BindingInput Binding { get; set; } = new();
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        return scope.IsOperator || scope.RootsFor(Permission.ManageAccounts).Any() ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        if (!scope.IsOperator && !scope.RootsFor(Permission.ManageAccounts).Any()) return NotFound();
        // Every problem at once: the unit and card checks run even when the e-mail or name is wrong.
        var (unit, memberId, errors) = await AccountRules.ValidateAsync(db, access, Input.Binding, ct);
        foreach (var (field, error) in errors) ModelState.AddModelError($"Input.Binding.{field}", error);
        if (!ModelState.IsValid) return Page();
        var password = Passwords.Generate();
        var user = new AppUser { UserName = Input.Email.Trim(), Email = Input.Email.Trim(), EmailConfirmed = true, FullName = Input.FullName.Trim(), MemberId = memberId, MustChangePassword = true };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        IdentityResult result;
        try { result = await users.CreateAsync(user, password); }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // The same e-mail created by another request at the same instant (a double submit sent by script).
            ModelState.AddModelError("Input.Email", $"Tài khoản {Input.Email.Trim()} vừa được tạo; hãy tìm nó trong danh sách tài khoản.");
            return Page();
        }
        if (!result.Succeeded)
        {
            foreach (var e in result.Errors) ModelState.AddModelError("Input.Email", e.Description);
            return Page();
        }
        db.RoleBindings.Add(new RoleBinding { UserId = user.Id, Role = Input.Binding.Role!.Value, OrgUnitId = unit!.Id, GrantedAt = db.Clock.Now });
        db.AuditEntries.Add(new AuditEntry { At = db.Clock.Now, Actor = db.Actor.Name, UserId = db.Actor.UserId, Action = "Tạo tài khoản", EntityType = nameof(AppUser), EntityId = user.Id, OrgUnitId = unit.Id, After = System.Text.Json.JsonSerializer.Serialize(new { user.Email, user.FullName, user.MemberId }) });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        CreatedPassword = password;
        return Page();
    }
}
