using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class ExemplaryModelConfiguration : IEntityTypeConfiguration<ExemplaryModel>
{
    public void Configure(EntityTypeBuilder<ExemplaryModel> b)
    {
        b.Property(x => x.Title).HasMaxLength(500);
        b.Property(x => x.Field).HasMaxLength(200);
        b.Property(x => x.Version).IsRowVersion();
        b.Owned(x => new { x.OrgUnitId, x.Year }, nameof(ExemplaryModel.OrgUnitId));
        b.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
