using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HocLamTheoBac.Web.Data.Configurations;

/// <summary>The aggregate tables (Data/Aggregates.cs); functions and triggers come from Data/AggregateSql.cs.</summary>
internal sealed class AggregateConfigurations :
    IEntityTypeConfiguration<AggYear>, IEntityTypeConfiguration<AggMemberRow>, IEntityTypeConfiguration<AggUnitFigure>, IEntityTypeConfiguration<AggUnitYearEnd>,
    IEntityTypeConfiguration<AggUnitItem>, IEntityTypeConfiguration<AggUnitTotal>, IEntityTypeConfiguration<AggUnitGrade>, IEntityTypeConfiguration<AggPendingMember>, IEntityTypeConfiguration<AggPendingItem>,
    IEntityTypeConfiguration<AggFlushQueue>, IEntityTypeConfiguration<AggSessionRow>, IEntityTypeConfiguration<AggPendingSession>,
    IEntityTypeConfiguration<RollupChange>, IEntityTypeConfiguration<RollupChangesPruned>
{
    public void Configure(EntityTypeBuilder<AggYear> b)
    {
        b.ToTable("agg_years");
        b.HasKey(x => x.Year);
        b.Property(x => x.Year).ValueGeneratedNever();
    }

    public void Configure(EntityTypeBuilder<AggMemberRow> b)
    {
        b.ToTable("agg_member_rows");
        b.HasKey(x => new { x.MemberId, x.Year, x.UnitId, x.FromDay, x.ToDay, x.Kind, x.Key, x.Day });
    }

    public void Configure(EntityTypeBuilder<AggUnitFigure> b)
    {
        b.ToTable("agg_unit_figures");
        b.HasKey(x => new { x.Year, x.UnitId, x.FromDay, x.ToDay, x.Kind, x.Key, x.Day });
        // The windows that start or end during the year, by day: the roll-up of the open year finds the branches whose
        // figures change after the as-of day through these (Reports/Rollup.cs, "bounded"; ADR 0018, "The open year").
        b.HasIndex(x => new { x.Year, x.FromDay, x.UnitId }).HasDatabaseName("ix_agg_unit_figures_from_day").HasFilter("from_day <> '-infinity'::date");
        b.HasIndex(x => new { x.Year, x.ToDay, x.UnitId }).HasDatabaseName("ix_agg_unit_figures_to_day").HasFilter("to_day <> 'infinity'::date");
    }

    public void Configure(EntityTypeBuilder<AggUnitYearEnd> b)
    {
        b.ToTable("agg_unit_yearend");
        b.HasKey(x => new { x.Year, x.UnitId, x.Kind, x.Key, x.Day });
    }

    public void Configure(EntityTypeBuilder<AggUnitItem> b)
    {
        b.ToTable("agg_unit_items");
        b.HasKey(x => new { x.Year, x.UnitId, x.Item, x.K1, x.K2 });
    }

    public void Configure(EntityTypeBuilder<AggUnitTotal> b)
    {
        b.ToTable("agg_unit_totals");
        b.HasKey(x => new { x.Year, x.UnitId });
    }

    public void Configure(EntityTypeBuilder<AggUnitGrade> b)
    {
        b.ToTable("agg_unit_grades");
        b.HasKey(x => new { x.Year, x.UnitId, x.Level });
    }

    public void Configure(EntityTypeBuilder<AggPendingMember> b)
    {
        b.ToTable("agg_pending_members");
        b.HasKey(x => new { x.Xid, x.MemberId, x.Year });
    }

    public void Configure(EntityTypeBuilder<AggPendingItem> b)
    {
        b.ToTable("agg_pending_items");
        b.HasKey(x => new { x.Xid, x.Year, x.UnitId, x.Item, x.K1, x.K2 });
    }

    public void Configure(EntityTypeBuilder<AggFlushQueue> b)
    {
        b.ToTable("agg_flush_queue");
        b.HasKey(x => x.Xid);
        b.Property(x => x.Xid).ValueGeneratedNever();
    }

    public void Configure(EntityTypeBuilder<AggSessionRow> b)
    {
        b.ToTable("agg_session_rows");
        b.HasKey(x => new { x.SessionId, x.BranchId, x.Mark });
    }

    public void Configure(EntityTypeBuilder<AggPendingSession> b)
    {
        b.ToTable("agg_pending_sessions");
        b.HasKey(x => new { x.Xid, x.SessionId, x.BranchId });
    }

    public void Configure(EntityTypeBuilder<RollupChange> b)
    {
        // Written by the triggers of Data/RollupChangesSql.cs (ON CONFLICT DO NOTHING: one row per transaction and unit);
        // the key is also the index the kept roll-up reads the recent transactions through.
        b.ToTable("rollup_changes");
        b.HasKey(x => new { x.Xid, x.Year, x.UnitId });
        b.Property(x => x.Xid).HasColumnType("xid8").HasDefaultValueSql("pg_current_xact_id()").ValueGeneratedNever();
    }

    public void Configure(EntityTypeBuilder<RollupChangesPruned> b)
    {
        b.ToTable("rollup_changes_pruned");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.W).HasColumnType("xid8");
    }
}
