using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class CollectivePledgeConfiguration : IEntityTypeConfiguration<CollectivePledge>
{
    public void Configure(EntityTypeBuilder<CollectivePledge> b)
    {
        b.Property(x => x.What).HasMaxLength(2000);
        b.Property(x => x.How).HasMaxLength(4000);
        b.Property(x => x.Lead).HasMaxLength(300);
        b.Property(x => x.Version).IsRowVersion();
        b.Owned(x => new { x.OrgUnitId, x.Year }, nameof(CollectivePledge.OrgUnitId));
        b.HasOne<Topic>().WithMany().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.Restrict);
    }
}
