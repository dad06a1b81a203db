using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

/// <summary>The trigram index behind the near-duplicate hints (pg_trgm, Pages/Pledges/Hints/PledgeHintQuery.cs).</summary>
internal sealed class PledgeHintConfiguration : IEntityTypeConfiguration<Pledge>
{
    public void Configure(EntityTypeBuilder<Pledge> b) =>
        b.HasIndex(x => x.Content, "ix_pledges_content_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
}
