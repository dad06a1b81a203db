using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class MemberConfiguration : IEntityTypeConfiguration<Member>
{
    public void Configure(EntityTypeBuilder<Member> b)
    {
        b.Property(x => x.FullName).HasMaxLength(200);
        b.Property(x => x.CardNumber).HasMaxLength(30);
        b.Property(x => x.Position).HasMaxLength(200);
        b.Property(x => x.Phone).HasMaxLength(30);
        b.Property(x => x.Email).HasMaxLength(200);
        b.Property(x => x.Version).IsRowVersion();
        b.HasIndex(x => x.CardNumber).IsUnique().HasFilter("card_number IS NOT NULL");
        b.HasIndex(x => new { x.BranchId, x.FullName });
        // A branch's active members by index alone (the grid's roster and its unit's count): the name index visits the
        // heap in name order, a page a member (docs/performance.md, session 14, GRID).
        b.HasIndex(x => new { x.BranchId, x.Status }).IncludeProperties(x => x.Id);
        b.HasOne(x => x.Branch).WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
