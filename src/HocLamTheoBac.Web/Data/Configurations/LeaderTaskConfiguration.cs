using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class LeaderTaskConfiguration : IEntityTypeConfiguration<LeaderTask>
{
    public void Configure(EntityTypeBuilder<LeaderTask> b)
    {
        b.Property(x => x.LeaderName).HasMaxLength(200);
        b.Property(x => x.LeaderPosition).HasMaxLength(300);
        b.Property(x => x.Title).HasMaxLength(1000);
        b.Property(x => x.Version).IsRowVersion();
        b.Owned(x => new { x.OrgUnitId, x.Year }, nameof(LeaderTask.OrgUnitId));
    }
}
