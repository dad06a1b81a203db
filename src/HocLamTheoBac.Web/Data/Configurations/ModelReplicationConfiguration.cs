using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class ModelReplicationConfiguration : IEntityTypeConfiguration<ModelReplication>
{
    public void Configure(EntityTypeBuilder<ModelReplication> b)
    {
        b.Owned(x => new { x.OrgUnitId, x.Year }, nameof(ModelReplication.OrgUnitId));
        b.HasIndex(x => x.ModelId);
        b.HasOne<ExemplaryModel>().WithMany().HasForeignKey(x => x.ModelId).OnDelete(DeleteBehavior.Restrict);
    }
}
