using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
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
        var (scope, db, access, user) = await host.ActAsync(a, ct);
        await using var _s = scope;
        var unit = await access.Units(user, Permission.ManageAccounts).FirstOrDefaultAsync(u => u.Code == code, ct)
                   ?? throw new CliFailure($"không tìm thấy tổ chức có mã {code} trong phạm vi quyền.");
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var account = await users.FindByEmailAsync(email);
        var password = a.Get("password");
        if (account is null)
        {
            var generated = password is null;
            password ??= Passwords.Generate();
            account = new AppUser { UserName = email, Email = email, EmailConfirmed = true, FullName = a.Get("name") ?? email };
            var result = await users.CreateAsync(account, password);
            if (!result.Succeeded) throw new CliFailure(string.Join(" ", result.Errors.Select(e => e.Description)));
            await o.WriteLineAsync($"Đã tạo tài khoản {email}." + (generated ? $" Mật khẩu tạm thời: {password}" : ""));
        }
        if (!await db.RoleBindings.AnyAsync(b => b.UserId == account.Id && b.Role == role && b.OrgUnitId == unit.Id, ct))
        {
            db.RoleBindings.Add(new RoleBinding { UserId = account.Id, Role = role, OrgUnitId = unit.Id, GrantedAt = DateTimeOffset.UtcNow });
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

public static class Passwords
{
    /// <summary>A random password that meets the site's rules (length, upper, lower, digit).</summary>
    public static string Generate()
    {
        const string chars = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var body = System.Security.Cryptography.RandomNumberGenerator.GetString(chars, 12);
        return "Hl" + body + "7";
    }
}
