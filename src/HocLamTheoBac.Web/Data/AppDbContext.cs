using System.Text;
using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Data;

// How to add a migration (docs/adr/0010): change the model, then from the repository root
//   dotnet tool restore
//   dotnet ef migrations add Name --project src/HocLamTheoBac.Web --output-dir Data/Migrations
// and review the generated file. Tests fail while the model has changes without a migration.
public sealed class AppDbContext(DbContextOptions<AppDbContext> options, ICurrentActor? actor = null, VietnamCalendar? clock = null)
    : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    public ICurrentActor Actor { get; } = actor ?? CurrentActor.Operator;

    /// <summary>The options the context was built with: the site's are one instance for the process (ServiceSetup), so
    /// SQL generated once from this context's model can be kept by them and run later without touching the context
    /// (the branch grid's statements on the data source: BranchGridQuery).</summary>
    internal DbContextOptions<AppDbContext> Options { get; } = options;

    /// <summary>The one clock (Domain/VietnamCalendar.cs), as registered in the services; pages, imports and the CLI read "today" here.</summary>
    public VietnamCalendar Clock { get; } = clock ?? VietnamCalendar.System;

    public DbSet<OrgKind> OrgKinds => Set<OrgKind>();
    public DbSet<OrgUnit> OrgUnits => Set<OrgUnit>();
    public DbSet<OrgPlacement> OrgPlacements => Set<OrgPlacement>();
    public DbSet<Member> Members => Set<Member>();
    public DbSet<MemberBranchPeriod> MemberBranchPeriods => Set<MemberBranchPeriod>();
    public DbSet<RoleBinding> RoleBindings => Set<RoleBinding>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    // The yearly cycle: plan years, topics, collective plans, pledges and their evidence
    public DbSet<PlanYear> PlanYears => Set<PlanYear>();
    public DbSet<Topic> Topics => Set<Topic>();
    public DbSet<CollectivePledge> CollectivePledges => Set<CollectivePledge>();
    public DbSet<Pledge> Pledges => Set<Pledge>();
    public DbSet<PledgeEvidence> PledgeEvidence => Set<PledgeEvidence>();

    // Models, commendations, study sessions, problems, leaders' tasks, indicators
    public DbSet<ExemplaryModel> Models => Set<ExemplaryModel>();
    public DbSet<ModelReplication> ModelReplications => Set<ModelReplication>();
    public DbSet<ModelQuota> ModelQuotas => Set<ModelQuota>();
    public DbSet<Commendation> Commendations => Set<Commendation>();
    public DbSet<StudySession> StudySessions => Set<StudySession>();
    public DbSet<Attendance> Attendances => Set<Attendance>();
    public DbSet<PressingProblem> PressingProblems => Set<PressingProblem>();
    public DbSet<LeaderTask> LeaderTasks => Set<LeaderTask>();
    public DbSet<IndicatorValue> IndicatorValues => Set<IndicatorValue>();

    // Year-end and period reports, frozen when issued
    public DbSet<Report> Reports => Set<Report>();

    // Members' yearly grades for the year-end review (ADR 0016)
    public DbSet<MemberGrade> MemberGrades => Set<MemberGrade>();

    // Data-protection keys shared by every site instance, encrypted at rest (Infrastructure/SharedDataProtection.cs)
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasPostgresExtension("ltree");
        builder.HasPostgresExtension("pg_trgm");
        builder.HasDbFunction(typeof(VietnameseText).GetMethod(nameof(VietnameseText.Fold))!).HasName("hlb_fold").HasSchema("public");
        builder.HasDbFunction(typeof(VietnameseText).GetMethod(nameof(VietnameseText.GivenName))!).HasName("hlb_given_name").HasSchema("public");
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        SnakeCase(builder);
    }

    /// <summary>The audit rows added to the save under way (Data/SaveChangesGuard.cs), forgotten if the save fails.</summary>
    internal List<AuditEntry>? PendingAudit { get; set; }

    /// <summary>Every save passes the year guard and writes the audit trail, however the context was configured. The site's
    /// options (built once, ServiceSetup.AddAppDatabase) carry the guard already: added here, each request's context would
    /// get options of its own, which EF compares with the ones it has seen on every creation.</summary>
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        if (optionsBuilder.Options.FindExtension<Microsoft.EntityFrameworkCore.Infrastructure.CoreOptionsExtension>()?.Interceptors?.Contains(SaveChangesGuard.Instance) != true)
            optionsBuilder.AddInterceptors(SaveChangesGuard.Instance);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    private static void SnakeCase(ModelBuilder builder)
    {
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            if (entity.GetTableName() is { } table) entity.SetTableName(ToSnake(table.StartsWith("AspNet", StringComparison.Ordinal) ? table[6..] : table));
            foreach (var p in entity.GetProperties())
                // uint row versions are PostgreSQL's xmin system column (optimistic concurrency, no extra column).
                p.SetColumnName(p.IsConcurrencyToken && p.ClrType == typeof(uint) ? "xmin" : ToSnake(p.GetColumnName()));
            foreach (var k in entity.GetKeys()) k.SetName(ToSnake(k.GetName()!));
            foreach (var fk in entity.GetForeignKeys()) fk.SetConstraintName(ToSnake(fk.GetConstraintName()!));
            foreach (var ix in entity.GetIndexes()) ix.SetDatabaseName(ToSnake(ix.GetDatabaseName()!));
        }
    }

    internal static string ToSnake(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])))) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
