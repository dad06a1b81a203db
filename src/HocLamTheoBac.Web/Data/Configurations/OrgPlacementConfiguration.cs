using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class OrgPlacementConfiguration : IEntityTypeConfiguration<OrgPlacement>
{
    public void Configure(EntityTypeBuilder<OrgPlacement> b)
    {
        b.Property(x => x.Path).HasColumnType("ltree");
        b.HasIndex(x => x.Path).HasMethod("gist");
        b.HasIndex(x => new { x.OrgUnitId, x.ValidFrom });
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
