using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class PledgeConfiguration : IEntityTypeConfiguration<Pledge>
{
    public void Configure(EntityTypeBuilder<Pledge> b)
    {
        b.Property(x => x.Content).HasMaxLength(PledgeLimits.Content);
        b.Property(x => x.Solution).HasMaxLength(PledgeLimits.Solution);
        b.Property(x => x.Reason).HasMaxLength(PledgeLimits.Reason);
        b.Property(x => x.EvidenceNote).HasMaxLength(PledgeLimits.EvidenceNote);
        b.Property(x => x.Version).IsRowVersion();
        b.Owned(x => new { x.BranchId, x.Year }, nameof(Pledge.BranchId));
        b.HasIndex(x => new { x.MemberId, x.Year });
        // Roll-up of a year and the branch grid: index-only scan of one year's live pledges (docs/performance.md, migration 0009).
        b.HasIndex(x => new { x.Year, x.BranchId }).IncludeProperties(x => new { x.MemberId, x.Status, x.Deadline }).HasFilter("deleted_at IS NULL");
        // No province-wide trigram index on the content: hints compare within a branch and year (migration DropPledgeContentTrigramIndex).
        b.HasOne(x => x.Member).WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Topic>().WithMany().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.Restrict);
    }
}
