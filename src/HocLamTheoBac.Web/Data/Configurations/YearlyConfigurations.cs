using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

internal static class YearlyRecord
{
    /// <summary>Owner unit + year index, FK to the unit, soft-delete filter: the common shape of yearly records.</summary>
    public static void Owned<T>(this EntityTypeBuilder<T> b, System.Linq.Expressions.Expression<Func<T, object?>> unitAndYear, string unitFk) where T : class
    {
        b.HasIndex(unitAndYear);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(unitFk).OnDelete(DeleteBehavior.Restrict);
        if (typeof(ISoftDeletable).IsAssignableFrom(typeof(T)))
            b.HasQueryFilter(x => ((ISoftDeletable)x).DeletedAt == null);
    }
}

internal sealed class PlanYearConfiguration : IEntityTypeConfiguration<PlanYear>
{
    public void Configure(EntityTypeBuilder<PlanYear> b)
    {
        b.Property(x => x.Theme).HasMaxLength(1000);
        b.Property(x => x.PlanNumber).HasMaxLength(60);
        b.Property(x => x.Version).IsRowVersion();
        b.HasIndex(x => new { x.OrgUnitId, x.Year }).IsUnique();
        b.HasOne(x => x.OrgUnit).WithMany().HasForeignKey(x => x.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TopicConfiguration : IEntityTypeConfiguration<Topic>
{
    public void Configure(EntityTypeBuilder<Topic> b)
    {
        b.Property(x => x.Title).HasMaxLength(500);
        b.Owned(x => new { x.OrgUnitId, x.Year }, nameof(Topic.OrgUnitId));
    }
}

internal sealed class CollectivePledgeConfiguration : IEntityTypeConfiguration<CollectivePledge>
{
    public void Configure(EntityTypeBuilder<CollectivePledge> b)
    {
        b.Property(x => x.What).HasMaxLength(2000);
        b.Property(x => x.How).HasMaxLength(4000);
        b.Property(x => x.Lead).HasMaxLength(300);
        b.Property(x => x.Version).IsRowVersion();
        b.Owned(x => new { x.OrgUnitId, x.Year }, nameof(CollectivePledge.OrgUnitId));
        b.HasOne<Topic>().WithMany().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.Restrict);
    }
}

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
        b.HasOne(x => x.Member).WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Topic>().WithMany().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.Restrict);
    }
}

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
    }
}

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

internal sealed class ModelReplicationConfiguration : IEntityTypeConfiguration<ModelReplication>
{
    public void Configure(EntityTypeBuilder<ModelReplication> b)
    {
        b.Owned(x => new { x.OrgUnitId, x.Year }, nameof(ModelReplication.OrgUnitId));
        b.HasIndex(x => x.ModelId);
        b.HasOne<ExemplaryModel>().WithMany().HasForeignKey(x => x.ModelId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ModelQuotaConfiguration : IEntityTypeConfiguration<ModelQuota>
{
    public void Configure(EntityTypeBuilder<ModelQuota> b)
    {
        b.Property(x => x.Version).IsRowVersion();
        b.HasIndex(x => new { x.SetByOrgUnitId, x.Year, x.OrgKindId }).IsUnique();
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.SetByOrgUnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<OrgKind>().WithMany().HasForeignKey(x => x.OrgKindId).OnDelete(DeleteBehavior.Restrict);
    }
}

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

internal sealed class StudySessionConfiguration : IEntityTypeConfiguration<StudySession>
{
    public void Configure(EntityTypeBuilder<StudySession> b)
    {
        b.Property(x => x.Theme).HasMaxLength(1000);
        b.Owned(x => new { x.OrgUnitId, x.Year }, nameof(StudySession.OrgUnitId));
    }
}

internal sealed class AttendanceConfiguration : IEntityTypeConfiguration<Attendance>
{
    public void Configure(EntityTypeBuilder<Attendance> b)
    {
        b.HasKey(x => new { x.SessionId, x.MemberId });
        b.HasIndex(x => x.MemberId);
        b.HasOne<StudySession>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}

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

internal sealed class IndicatorValueConfiguration : IEntityTypeConfiguration<IndicatorValue>
{
    public void Configure(EntityTypeBuilder<IndicatorValue> b)
    {
        b.Property(x => x.Name).HasMaxLength(300);
        b.Property(x => x.Unit).HasMaxLength(60);
        b.Property(x => x.Value).HasPrecision(18, 2);
        b.Property(x => x.Version).IsRowVersion();
        b.HasIndex(x => new { x.OrgUnitId, x.Year, x.Name }).IsUnique();
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReportConfiguration : IEntityTypeConfiguration<Report>
{
    public void Configure(EntityTypeBuilder<Report> b)
    {
        b.Property(x => x.Symbol).HasMaxLength(20);
        b.Property(x => x.Place).HasMaxLength(200);
        b.Property(x => x.SignerName).HasMaxLength(200);
        b.Property(x => x.SignerTitle).HasMaxLength(200);
        b.Property(x => x.SignerOnBehalf).HasMaxLength(200);
        b.Property(x => x.SnapshotJson).HasColumnType("jsonb");
        b.Property(x => x.PdfSha256).HasMaxLength(64);
        b.Property(x => x.Version).IsRowVersion();
        b.ToTable(t => t.HasCheckConstraint("ck_reports_period", "first_year IS NULL OR (first_year < year AND year - first_year < 10)"));
        b.Owned(x => new { x.OrgUnitId, x.Year }, nameof(Report.OrgUnitId));
        b.HasIndex(x => new { x.OrgUnitId, x.Year, x.Number }).IsUnique().HasFilter("number IS NOT NULL");
        b.HasOne<Report>().WithMany().HasForeignKey(x => x.ReplacesReportId).OnDelete(DeleteBehavior.Restrict);
    }
}
