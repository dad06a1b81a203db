using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class MemberBranchPeriodConfiguration : IEntityTypeConfiguration<MemberBranchPeriod>
{
    public void Configure(EntityTypeBuilder<MemberBranchPeriod> b)
    {
        // Where a member stands on a day, and who stands in a branch that day (Membership.CoversOn), read from the index
        // alone: the grid's roster asks both for every listed member (docs/performance.md, session 14, GRID).
        b.HasIndex(x => new { x.MemberId, x.ValidFrom }).IncludeProperties(x => new { x.ValidTo, x.BranchId });
        b.HasIndex(x => new { x.BranchId, x.ValidFrom }).IncludeProperties(x => new { x.ValidTo, x.MemberId });
        b.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
