using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class IndicatorValueConfiguration : IEntityTypeConfiguration<IndicatorValue>
{
    public void Configure(EntityTypeBuilder<IndicatorValue> b)
    {
        b.Property(x => x.Name).HasMaxLength(300);
        b.Property(x => x.Unit).HasMaxLength(60);
        b.Property(x => x.Value).HasPrecision(18, 2);
        b.Property(x => x.Version).IsRowVersion();
        b.HasIndex(x => new { x.OrgUnitId, x.Year, x.Name }).IsUnique().HasFilter("deleted_at IS NULL");
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasQueryFilter(x => x.DeletedAt == null);
    }
}
