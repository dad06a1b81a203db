using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Members;

public static class MemberTransfers
{
    /// <summary>Moves a member to another branch from a date; the period in the old branch is kept (chuyển sinh hoạt đảng).</summary>
    public static async Task TransferAsync(AppDbContext db, Member member, int toBranchId, DateOnly on, CancellationToken ct)
    {
        var open = await db.MemberBranchPeriods.Where(p => p.MemberId == member.Id && p.ValidTo == null).ToListAsync(ct);
        foreach (var p in open) p.ValidTo = on;
        db.MemberBranchPeriods.Add(new MemberBranchPeriod { MemberId = member.Id, BranchId = toBranchId, ValidFrom = on });
        member.BranchId = toBranchId;
    }
}
