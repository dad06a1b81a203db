using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal sealed class StudySessionConfiguration : IEntityTypeConfiguration<StudySession>
{
    public void Configure(EntityTypeBuilder<StudySession> b)
    {
        b.Property(x => x.Theme).HasMaxLength(1000);
        b.Owned(x => new { x.OrgUnitId, x.Year }, nameof(StudySession.OrgUnitId));
    }
}
