using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Data;

public static class MemberTransfers
{
    /// <summary>
    /// Why a member cannot be transferred on a date (null: allowed): the date must not be before the start of the
    /// member's current branch period (a period never ends before it starts), and its year must not be closed.
    /// Used by the transfer page and by mergers.
    /// </summary>
    public static async Task<string?> RefusalAsync(AppDbContext db, Member member, DateOnly on, CancellationToken ct)
    {
        if (await db.MemberBranchPeriods.AnyAsync(p => p.MemberId == member.Id && p.ValidTo == null && p.ValidFrom > on, ct))
            return "Ngày chuyển phải sau ngày bắt đầu sinh hoạt ở chi bộ hiện tại.";
        var path = await db.OrgUnits.Where(u => u.Id == member.BranchId).Select(u => u.Path).SingleAsync(ct);
        if (await YearGuard.IsClosedAsync(db, path, on.Year, ct)) return YearClosure.Message(on.Year);
        return null;
    }

    /// <summary>Moves a member to another branch from a date; the period in the old branch is kept (chuyển sinh hoạt đảng).</summary>
    public static async Task TransferAsync(AppDbContext db, Member member, int toBranchId, DateOnly on, CancellationToken ct)
    {
        var open = await db.MemberBranchPeriods.Where(p => p.MemberId == member.Id && p.ValidTo == null).ToListAsync(ct);
        foreach (var p in open) p.ValidTo = on;
        db.MemberBranchPeriods.Add(new MemberBranchPeriod { MemberId = member.Id, BranchId = toBranchId, ValidFrom = on });
        member.BranchId = toBranchId;
    }
}
