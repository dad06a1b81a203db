using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class MemberGradeConfiguration : IEntityTypeConfiguration<MemberGrade>
{
    public void Configure(EntityTypeBuilder<MemberGrade> b)
    {
        b.Property(x => x.Note).HasMaxLength(1000);
        b.Property(x => x.Version).IsRowVersion();
        b.HasIndex(x => new { x.MemberId, x.Year }).IsUnique().HasFilter("deleted_at IS NULL");
        b.Owned(x => new { x.BranchId, x.Year }, nameof(MemberGrade.BranchId));
        b.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
