using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class TopicConfiguration : IEntityTypeConfiguration<Topic>
{
    public void Configure(EntityTypeBuilder<Topic> b)
    {
        b.Property(x => x.Title).HasMaxLength(500);
        b.Owned(x => new { x.OrgUnitId, x.Year }, nameof(Topic.OrgUnitId));
    }
}
