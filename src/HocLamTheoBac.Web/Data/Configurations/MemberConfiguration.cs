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
        b.HasOne(x => x.Branch).WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
