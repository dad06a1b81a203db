using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Cli;

internal static class UsersVerb
{
    public static async Task<int> AddAsync(CliHost host, CliArgs a, TextWriter o, CancellationToken ct)
    {
        var email = a.Required("email");
        var role = ParseRole(a.Required("role"));
        var code = a.Required("org");
        var (scope, db, access, _) = await host.ActAsync(a, ct);
        await using var _s = scope;
        // Same rules as the accounts page: secretary/member on a branch, a member linked by card number.
        var (unit, memberId, error, _) = await AccountRules.ResolveAsync(db, access,
            new BindingInput { Role = role, OrgCode = code, MemberCardNumber = a.Get("member-card") }, ct);
        if (unit is null) throw new CliFailure(error!.TrimEnd('.') + ".");
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var account = await users.FindByEmailAsync(email);
        var password = a.Get("password");
        if (account is null)
        {
            var generated = password is null;
            password ??= Passwords.Generate();
            account = new AppUser { UserName = email, Email = email, EmailConfirmed = true, FullName = a.Get("name") ?? email, MemberId = memberId, MustChangePassword = generated };
            var result = await users.CreateAsync(account, password);
            if (!result.Succeeded) throw new CliFailure(string.Join(" ", result.Errors.Select(e => e.Description)));
            await o.WriteLineAsync($"Đã tạo tài khoản {email}." + (generated ? $" Mật khẩu tạm thời: {password}" : ""));
        }
        else if (memberId is not null && account.MemberId != memberId)
        {
            account.MemberId = memberId;
            var result = await users.UpdateAsync(account);
            if (!result.Succeeded) throw new CliFailure(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        if (!await db.RoleBindings.AnyAsync(b => b.UserId == account.Id && b.Role == role && b.OrgUnitId == unit.Id, ct))
        {
            db.RoleBindings.Add(new RoleBinding { UserId = account.Id, Role = role, OrgUnitId = unit.Id, GrantedAt = db.Clock.Now });
            await db.SaveChangesAsync(ct);
        }
        await o.WriteLineAsync($"{email}: {role.Label()} tại {unit.Name} ({unit.Code}).");
        return 0;
    }

    internal static AppRole ParseRole(string s) => s.ToLowerInvariant() switch
    {
        "admin" => AppRole.Admin,
        "staff" => AppRole.Staff,
        "secretary" => AppRole.Secretary,
        "member" => AppRole.Member,
        _ => throw new UsageException($"Vai trò không hợp lệ: {s} (admin|staff|secretary|member)."),
    };
}
