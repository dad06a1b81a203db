using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Data;

/// <summary>
/// Only an active member stands in a branch (ADR 0006: the roll-up, the CSV and the aggregates count members from their
/// branch periods). The one place that makes a member's periods follow their status: the member form calls it on every
/// save, creation included; the import opens periods only for members it creates active (<see cref="Pages.Members.MemberImport"/>).
/// </summary>
public static class MemberStanding
{
    /// <summary>
    /// Makes <paramref name="member"/>'s branch periods agree with their status (the member must be saved, so it has an id):
    /// a member who is not active has every open period ended on <paramref name="on"/> (a member created not active gets
    /// none); an active member who stands nowhere gets a period in their branch from <paramref name="on"/>. Returns why
    /// that cannot be done (a period would start before the previous one ended), or null.
    /// </summary>
    public static async Task<string?> FollowStatusAsync(AppDbContext db, Member member, DateOnly on, CancellationToken ct)
    {
        var open = await db.MemberBranchPeriods.Where(p => p.MemberId == member.Id && p.ValidTo == null).ToListAsync(ct);
        if (!StandsInBranch(member.Status))
        {
            foreach (var p in open) p.ValidTo = on;
            return null;
        }
        if (open.Count > 0) return null;
        var previousEnd = await db.MemberBranchPeriods.Where(p => p.MemberId == member.Id).MaxAsync(p => p.ValidTo, ct);
        if (previousEnd is { } pe && on < pe)
            return $"Ngày sinh hoạt tại chi bộ không được trước ngày {Vn.Date(pe)} (ngày thôi sinh hoạt ở chi bộ trước).";
        db.MemberBranchPeriods.Add(new MemberBranchPeriod { MemberId = member.Id, BranchId = member.BranchId, ValidFrom = on });
        return null;
    }

    /// <summary>Whether a member of this status has an open branch period (counts as a member of their branch).</summary>
    public static bool StandsInBranch(MemberStatus status) => status == MemberStatus.Active;
}
