using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class PledgeEvidenceConfiguration : IEntityTypeConfiguration<PledgeEvidence>
{
    public void Configure(EntityTypeBuilder<PledgeEvidence> b)
    {
        b.ToTable("pledge_evidence");
        b.Property(x => x.FileName).HasMaxLength(255);
        b.Property(x => x.ContentType).HasMaxLength(100);
        b.Property(x => x.StoragePath).HasMaxLength(500);
        b.Property(x => x.UploadedBy).HasMaxLength(256);
        b.HasIndex(x => x.PledgeId);
        b.HasOne(x => x.Pledge).WithMany().HasForeignKey(x => x.PledgeId).OnDelete(DeleteBehavior.Restrict);
        // The evidence of a deleted pledge is hidden with it (the filter matching the pledge's own).
        b.HasQueryFilter(x => x.Pledge!.DeletedAt == null);
    }
}
