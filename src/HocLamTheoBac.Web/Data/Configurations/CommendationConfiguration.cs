using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class CommendationConfiguration : IEntityTypeConfiguration<Commendation>
{
    public void Configure(EntityTypeBuilder<Commendation> b)
    {
        b.Property(x => x.IssuingBody).HasMaxLength(300);
        b.Property(x => x.DecisionNumber).HasMaxLength(60);
        b.Owned(x => new { x.OrgUnitId, x.Year }, nameof(Commendation.OrgUnitId));
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.RecipientOrgUnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Member>().WithMany().HasForeignKey(x => x.RecipientMemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ExemplaryModel>().WithMany().HasForeignKey(x => x.ModelId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Pledge>().WithMany().HasForeignKey(x => x.PledgeId).OnDelete(DeleteBehavior.Restrict);
    }
}
