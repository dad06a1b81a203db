using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class ModelQuotaConfiguration : IEntityTypeConfiguration<ModelQuota>
{
    public void Configure(EntityTypeBuilder<ModelQuota> b)
    {
        b.Property(x => x.Version).IsRowVersion();
        b.HasIndex(x => new { x.SetByOrgUnitId, x.Year, x.OrgKindId }).IsUnique();
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.SetByOrgUnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<OrgKind>().WithMany().HasForeignKey(x => x.OrgKindId).OnDelete(DeleteBehavior.Restrict);
    }
}
