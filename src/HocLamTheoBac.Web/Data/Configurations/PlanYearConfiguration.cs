using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class PlanYearConfiguration : IEntityTypeConfiguration<PlanYear>
{
    public void Configure(EntityTypeBuilder<PlanYear> b)
    {
        b.Property(x => x.Theme).HasMaxLength(1000);
        b.Property(x => x.PlanNumber).HasMaxLength(60);
        b.Property(x => x.Version).IsRowVersion();
        b.HasIndex(x => new { x.OrgUnitId, x.Year }).IsUnique();
        b.HasOne(x => x.OrgUnit).WithMany().HasForeignKey(x => x.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
