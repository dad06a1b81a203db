using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class PressingProblemConfiguration : IEntityTypeConfiguration<PressingProblem>
{
    public void Configure(EntityTypeBuilder<PressingProblem> b)
    {
        b.Property(x => x.Title).HasMaxLength(1000);
        b.Property(x => x.Owner).HasMaxLength(300);
        b.Property(x => x.Version).IsRowVersion();
        b.Owned(x => new { x.OrgUnitId, x.Year }, nameof(PressingProblem.OrgUnitId));
    }
}
