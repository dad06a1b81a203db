using System.Globalization;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Orgs;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Cli;

/// <summary>
/// <c>hlb orgs move C --to P --on DATE</c>, <c>hlb orgs merge C --into T --on DATE</c>,
/// <c>hlb orgs close C --on DATE [--successor T]</c>: the same rules, transaction and audit as the Restructure page
/// (<see cref="Restructuring"/>), within the subtree the account (--as) may manage.
/// </summary>
internal static class RestructureVerb
{
    public static async Task<int> RunAsync(string what, CliHost host, CliArgs a, TextWriter o, CancellationToken ct)
    {
        var code = a.Words.ElementAtOrDefault(1) ?? throw new UsageException("Thiếu mã đơn vị.");
        var on = Date(a.Required("on"));
        var (scope, db, access, user) = await host.ActAsync(a, ct);
        await using var _s = scope;
        var unit = await Find(code);
        var otherCode = what switch { "move" => a.Required("to"), "merge" => a.Required("into"), _ => a.Get("successor") };
        var other = otherCode is null ? null : await Find(otherCode);

        var refusal = await Restructuring.InTransactionAsync(db, () => what switch
        {
            "move" => Restructuring.MoveAsync(db, unit, other!, on, ct),
            "merge" => Restructuring.MergeAsync(db, unit, other!, on, ct),
            _ => Restructuring.CloseAsync(db, unit, on, other, ct),
        }, ct);
        if (refusal is not null) throw new CliFailure(refusal);
        await o.WriteLineAsync(what switch
        {
            "move" => $"Đã chuyển {unit.Name} về trực thuộc {other!.Name} từ ngày {Vn.Date(on)}.",
            "merge" => $"Đã hợp nhất {unit.Name} vào {other!.Name} từ ngày {Vn.Date(on)}.",
            _ => $"Đã giải thể {unit.Name} từ ngày {Vn.Date(on)}{(other is null ? "" : $"; đơn vị kế thừa: {other.Name}")}.",
        });
        return 0;

        async Task<OrgUnit> Find(string c) =>
            await access.Units(user, Permission.ManageOrgs).Include(u => u.Kind).FirstOrDefaultAsync(u => u.Code == c && u.ClosedOn == null, ct)
            ?? throw new CliFailure($"không có đơn vị đang hoạt động mã {c} trong phạm vi quản lý.");
    }

    private static DateOnly Date(string text) =>
        VietnameseDates.TryParse(text, out var d) && d is { } day
            ? day : throw new UsageException($"Ngày “{text}” không đúng dạng dd/mm/yyyy.");
}
