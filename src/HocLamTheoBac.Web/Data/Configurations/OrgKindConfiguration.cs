using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class OrgKindConfiguration : IEntityTypeConfiguration<OrgKind>
{
    public void Configure(EntityTypeBuilder<OrgKind> b)
    {
        b.Property(x => x.Code).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Symbol).HasMaxLength(10);
        b.HasIndex(x => x.Code).IsUnique();
    }
}
