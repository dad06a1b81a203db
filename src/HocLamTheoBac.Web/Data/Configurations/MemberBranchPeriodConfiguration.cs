using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class MemberBranchPeriodConfiguration : IEntityTypeConfiguration<MemberBranchPeriod>
{
    public void Configure(EntityTypeBuilder<MemberBranchPeriod> b)
    {
        b.HasIndex(x => new { x.MemberId, x.ValidFrom });
        b.HasIndex(x => new { x.BranchId, x.ValidFrom });
        b.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
