using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Cli;

internal static class OrgsVerb
{
    public static async Task<int> PrintAsync(CliHost host, CliArgs a, TextWriter o, CancellationToken ct)
    {
        var (scope, _, access, user) = await host.ActAsync(a, ct);
        await using var _s = scope;
        var rows = await access.Units(user, Permission.ViewUnit).AsNoTracking()
            .OrderBy(u => u.Path)
            .Select(u => new { u.Code, Kind = u.Kind.Name, u.Name, Depth = u.Path.NLevel, u.ClosedOn })
            .ToListAsync(ct);
        if (rows.Count == 0) { await o.WriteLineAsync("(không có tổ chức nào trong phạm vi)"); return 0; }
        var top = rows.Min(r => r.Depth);
        foreach (var r in rows)
            await o.WriteLineAsync($"{new string(' ', 2 * (r.Depth - top))}{r.Code}\t{r.Kind}\t{r.Name}{(r.ClosedOn is { } c ? $" (đã giải thể {Vn.Date(c)})" : "")}");
        return 0;
    }
}

internal static class OrgsAddVerb
{
    /// <summary>`hlb orgs add`: the same rules as the Orgs/Create page; without --parent a top-level unit (operator only).</summary>
    public static async Task<int> AddAsync(CliHost host, CliArgs a, TextWriter o, CancellationToken ct)
    {
        var code = a.Required("code");
        var name = a.Required("name");
        var kind = a.Required("kind");
        DateOnly? asked = null;
        if (a.Get("from") is { } f)
        {
            if (!TabularFile.TryDate(f, out var d) || d is null) throw new UsageException($"--from {VietnameseDates.Unreadable(f)}.");
            asked = d.Value;
        }
        var (scope, db, access, user) = await host.ActAsync(a, ct);
        await using var _s = scope;
        var today = db.Clock.Today;
        var from = asked ?? today;
        Domain.OrgUnit? parent = null;
        if (a.Get("parent") is { } parentCode)
        {
            parent = await access.Units(user, Permission.ManageOrgs).Include(u => u.Kind).FirstOrDefaultAsync(u => u.Code == parentCode, ct)
                     ?? throw new CliFailure($"không tìm thấy đơn vị cấp trên mã {parentCode} trong phạm vi quyền quản lý tổ chức.");
        }
        else if (!user.IsOperator)
            throw new CliFailure("chỉ người vận hành máy chủ (không dùng --as) mới tạo được đơn vị cấp cao nhất; hãy chỉ rõ --parent MÃ.");
        var (unit, problems) = await Pages.Orgs.NewUnit.AddAsync(db, parent, kind, code, name, from, today, ct);
        if (unit is null) throw new CliFailure(Pages.Orgs.NewUnit.Sentence(problems).TrimEnd('.') + ".");
        await db.SaveChangesAsync(ct);
        await o.WriteLineAsync($"Đã thêm đơn vị {unit.Name} ({unit.Code})" + (parent is null ? ", cấp cao nhất" : $", trực thuộc {parent.Name}") + $", từ ngày {Vn.Date(from)}.");
        return 0;
    }
}
